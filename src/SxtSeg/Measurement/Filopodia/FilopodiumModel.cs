using System.Globalization;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// A filopodium model: a segmentation network trained to label the protruding part of filopodia and
/// microvilli as solid objects (the simulator's class <see cref="FilopodiumClass"/>, membrane and lumen)
/// in the tomogram's x–y slices. Its labels are read by the filopodia analysis
/// (no cell body needed: each labelled object is one filopodium candidate). This class writes
/// its training folders from simulations.
/// </summary>
public static class FilopodiumModel
{
    /// <summary>File name of the shipped filopodium model (in <c>models/</c>, found like the default membrane model).</summary>
    public const string DefaultModelFileName = "sxtseg-filopodia.sxtmodel";

    /// <summary>The shipped filopodium model's path, or null (looked up as <see cref="DefaultModel.FindShipped"/>).</summary>
    public static string? FindDefaultModel(string? executableFolder = null, string? currentFolder = null)
        => DefaultModel.FindShipped(DefaultModelFileName, executableFolder, currentFolder);

    /// <summary>The simulator's class id of filopodia and microvilli (the part outside the cell body).</summary>
    public const byte FilopodiumClass = 11;

    /// <summary>
    /// Writes a simulation folder as a filopodium-training folder that <c>sxtseg train --sim</c> reads:
    /// <c>tomogram.mrc</c> (copied, or a symbolic link to the simulation's with <paramref name="link"/>), <c>truth.json</c> (copied: the training resolution on the model card) and
    /// <c>membranes.mrc</c> holding 1 on the voxels of class <see cref="FilopodiumClass"/> in classes.mrc.
    /// </summary>
    /// <returns>The number of filopodium voxels.</returns>
    public static long WriteTrainingFolder(string simulation, string output, bool link = false)
    {
        string tomogramPath = Path.Combine(simulation, "tomogram.mrc");
        using var classes = VolumeIO.OpenRead(Path.Combine(simulation, "classes.mrc"));
        var info = classes.Info;
        var mask = new Volume<byte>(info.Nx, info.Ny, info.Nz, info.VoxelSize);
        var slice = new byte[info.SliceLength];
        long count = 0;
        for (int z = 0; z < info.Nz; z++)
        {
            classes.ReadSlice<byte>(z, slice);
            var dst = mask.Slice(z);
            for (int i = 0; i < slice.Length; i++)
                if (slice[i] == FilopodiumClass) { dst[i] = 1; count++; }
        }
        Directory.CreateDirectory(output);
        var provenance = new Provenance("filopodium training data").AddInput(simulation);
        provenance.Set("label", string.Create(CultureInfo.InvariantCulture, $"class {FilopodiumClass} (filopodium) of classes.mrc"));
        VolumeIO.Write(Path.Combine(output, "membranes.mrc"), mask, provenance);
        string tomogramCopy = Path.Combine(output, "tomogram.mrc");
        if (link)
        {
            if (File.Exists(tomogramCopy)) File.Delete(tomogramCopy);
            File.CreateSymbolicLink(tomogramCopy, Path.GetFullPath(tomogramPath));
        }
        else
            File.Copy(tomogramPath, tomogramCopy, overwrite: true);
        string truth = Path.Combine(simulation, "truth.json");
        if (File.Exists(truth)) File.Copy(truth, Path.Combine(output, "truth.json"), overwrite: true);
        return count;
    }
}
