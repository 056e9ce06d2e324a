using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

/// <summary>Hand-made volumes written to a test folder and opened as the evaluators read them.</summary>
internal static class EvaluationVolumes
{
    /// <summary>Writes <paramref name="volume"/> as <paramref name="name"/> in <paramref name="tmp"/> and opens it.</summary>
    public static IVolumeReader Open<T>(TempDir tmp, string name, Volume<T> volume) where T : unmanaged
    {
        string path = tmp.File(name);
        VolumeIO.Write(path, volume);
        return VolumeIO.OpenRead(path);
    }
}
