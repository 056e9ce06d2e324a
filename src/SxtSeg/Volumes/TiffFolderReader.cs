namespace SxtSeg.Volumes;

/// <summary>
/// Reads a folder of single-page TIFF files as a stack, files in natural order (slice2 before
/// slice10); every file must have the same size and type.
/// </summary>
public sealed class TiffFolderReader : VolumeReaderBase
{
    private readonly string[] _files;

    /// <summary>Lists and checks the folder.</summary>
    public TiffFolderReader(string folder)
    {
        Path = folder;
        if (InputPaths.RequireReadable(folder, allowFolder: true) != PathKind.Folder) throw new InvalidInputException(folder, "is not a folder");
        string[] all;
        try
        {
            all = Directory.GetFiles(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(folder, $"folder cannot be read ({InputPaths.OneLine(e.Message)})", e);
        }
        var files = all
            .Where(f => f.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".tiff", StringComparison.OrdinalIgnoreCase))
            .Where(f => !System.IO.Path.GetFileName(f).StartsWith('.'))
            .ToArray();
        if (files.Length == 0) throw new InvalidInputException(folder, "folder holds no .tif/.tiff files");
        Array.Sort(files, NaturalComparer.Instance);
        _files = files;
        VolumeInfo? first = null;
        foreach (string f in files)
        {
            using var r = new TiffReader(f);
            var i = r.Info;
            if (i.Nz != 1) throw new InvalidInputException(f, $"has {i.Nz} pages; a folder stack needs single-page files");
            if (first is null) { first = i; continue; }
            if (i.Nx != first.Nx || i.Ny != first.Ny)
                throw new InvalidInputException(f, $"is {i.Nx} × {i.Ny} but {System.IO.Path.GetFileName(files[0])} is {first.Nx} × {first.Ny}: mixed slice sizes in folder");
            if (i.Type != first.Type)
                throw new InvalidInputException(f, $"is {i.Type.Name()} but {System.IO.Path.GetFileName(files[0])} is {first.Type.Name()}: mixed types in folder");
        }
        Info = first! with { Nz = files.Length };
    }

    /// <summary>The files, in slice order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc />
    public override string Path { get; }

    /// <inheritdoc />
    public override VolumeInfo Info { get; }

    /// <inheritdoc />
    public override void ReadRawSlice(int z, Span<byte> dest)
    {
        using var r = new TiffReader(_files[z]);
        if (r.Info.Nx != Info.Nx || r.Info.Ny != Info.Ny || r.Info.Type != Info.Type)
            throw new InvalidInputException(_files[z], "changed since the folder was opened");
        r.ReadRawSlice(0, dest);
    }
}
