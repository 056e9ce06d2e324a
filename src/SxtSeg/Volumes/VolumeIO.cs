namespace SxtSeg.Volumes;

/// <summary>Opens and creates volume files by name: the entry point for all volume I/O.</summary>
public static class VolumeIO
{
    private static readonly string[] MrcExtensions = { ".mrc", ".rec", ".st", ".ali", ".map", ".mrcs", ".ccp4", ".preali" };

    /// <summary>The format implied by a path (folder → TIFF folder; extension otherwise).</summary>
    public static VolumeFormat FormatOf(string path)
    {
        if (Directory.Exists(path)) return VolumeFormat.TiffFolder;
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (Array.IndexOf(MrcExtensions, ext) >= 0) return VolumeFormat.Mrc;
        if (ext is ".tif" or ".tiff") return VolumeFormat.Tiff;
        throw new InvalidInputException(path, $"unknown volume format '{ext}' (use .mrc/.rec/.st/.ali/.map for MRC, .tif/.tiff for TIFF, or a folder of TIFF slices)");
    }

    /// <summary>Opens a volume for streaming reads.</summary>
    public static IVolumeReader OpenRead(string path)
    {
        // A regular readable file or a folder, checked before anything opens it (a FIFO would block).
        InputPaths.RequireReadable(path, allowFolder: true);
        IVolumeReader reader = FormatOf(path) switch
        {
            VolumeFormat.Mrc => new MrcReader(path),
            VolumeFormat.Tiff => new TiffReader(path),
            _ => new TiffFolderReader(path),
        };
        try
        {
            // Streaming holds a few slices (raw, float and double copies): refuse headers whose slice alone would not fit.
            var i = reader.Info;
            MemoryBudget.Require(i.SliceLength * 24.0, $"{path}: reading slices of {i.Nx} × {i.Ny} voxels", "the header's slice size cannot be streamed on this machine");
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        return reader;
    }

    /// <summary>Starts writing a volume; the format follows the extension (.mrc... or .tif/.tiff).</summary>
    public static IVolumeWriter Create(string path, VolumeInfo info, Provenance? provenance = null, TiffCompression tiffCompression = TiffCompression.None)
    {
        if (OutputFormatOf(path) == VolumeFormat.Mrc)
        {
            if (info.Type == VoxelType.UInt32)
                throw new OutputException(path, "uint32 voxels cannot be stored in MRC (modes 0, 1, 2, 6, 12); write a .tif or use uint16/float32");
            return new MrcWriter(path, info, provenance);
        }
        return new TiffWriter(path, info, provenance, tiffCompression);
    }

    /// <summary>
    /// The format an output volume file name asks for (<see cref="VolumeFormat.Mrc"/> or
    /// <see cref="VolumeFormat.Tiff"/>); throws <see cref="OutputException"/> for an empty name, an
    /// existing folder or an unknown extension. Commands call it before their work, so a bad name
    /// fails in a second, not after the computation.
    /// </summary>
    public static VolumeFormat OutputFormatOf(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputException(AtomicFile.EmptyPath, "no output file given");
        if (Directory.Exists(path)) throw new OutputException(path, "is a folder, expected a file name ending in .mrc or .tif");
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (Array.IndexOf(MrcExtensions, ext) >= 0) return VolumeFormat.Mrc;
        if (ext is ".tif" or ".tiff") return VolumeFormat.Tiff;
        throw new OutputException(path, $"unknown output format '{ext}' (use .mrc/.rec or .tif)");
    }

    /// <summary>Reads a whole volume (only for volumes that fit in memory).</summary>
    public static Volume<T> Read<T>(string path) where T : unmanaged
    {
        using var r = OpenRead(path);
        return r.ReadVolume<T>();
    }

    /// <summary>Writes a whole volume atomically, stored as <paramref name="fileType"/> (default: the volume's own type).</summary>
    public static void Write<T>(string path, Volume<T> volume, Provenance? provenance = null, VoxelType? fileType = null, TiffCompression tiffCompression = TiffCompression.None) where T : unmanaged
    {
        var info = volume.Info with { Type = fileType ?? Volume<T>.Type };
        using var w = Create(path, info, provenance, tiffCompression);
        for (int z = 0; z < volume.Nz; z++) w.WriteSlice<T>(volume.Slice(z));
        w.Commit();
    }
}
