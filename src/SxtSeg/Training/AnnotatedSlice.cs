using SxtSeg.Network;

namespace SxtSeg.Training;

/// <summary>An annotated slice held in memory: the normalised image and its membrane mask.</summary>
public sealed class AnnotatedSlice
{
    internal AnnotatedSlice(string source, int z, int nx, int ny, float[] image, byte[] membrane, ImageArea area, float min, float max)
    {
        Source = source; Z = z; Nx = nx; Ny = ny; Image = image; Membrane = membrane; Area = area; Min = min; Max = max;
    }

    /// <summary>File it came from.</summary>
    public string Source { get; }

    /// <summary>Slice index in that file.</summary>
    public int Z { get; }

    /// <summary>Columns.</summary>
    public int Nx { get; }

    /// <summary>Rows.</summary>
    public int Ny { get; }

    /// <summary>Z-scored image, row-major.</summary>
    public float[] Image { get; }

    /// <summary>1 = membrane, 0 = background.</summary>
    public byte[] Membrane { get; }

    /// <summary>Real image area (crops are drawn inside it).</summary>
    public ImageArea Area { get; }

    /// <summary>Smallest normalised value inside the area.</summary>
    public float Min { get; }

    /// <summary>Largest normalised value inside the area.</summary>
    public float Max { get; }

    /// <summary>"file.mrc z=12".</summary>
    public override string ToString() => $"{Path.GetFileName(Source)} z={Z}";
}
