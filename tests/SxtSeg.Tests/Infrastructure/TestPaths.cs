namespace SxtSeg.Tests.Infrastructure;

/// <summary>Test data locations and scratch folders.</summary>
public static class TestPaths
{
    /// <summary>Folder of the copied test data.</summary>
    public static string Data => Path.Combine(AppContext.BaseDirectory, "TestData");

    /// <summary>A real ALBA slice (984 × 974 float32, 13 nm, ImageJ big-endian).</summary>
    public static string AlbaSlice => Path.Combine(Data, "real-sxt", "ALBA_8hpi-slice340.tif");

    /// <summary>A real ALS slice (479 × 490 float32, no voxel size, ImageJ big-endian, colour map).</summary>
    public static string BerkeleySlice => Path.Combine(Data, "real-sxt", "Berkely-NI_slice479.tif");
}

/// <summary>A temporary folder deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    /// <summary>Creates a fresh folder under the system temp path.</summary>
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sxtseg-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Names of everything in the folder (files and folders, recursively, relative).</summary>
    public string[] Contents() => Directory.GetFileSystemEntries(Path, "*", SearchOption.AllDirectories)
        .Select(p => System.IO.Path.GetRelativePath(Path, p)).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    /// <inheritdoc />
    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
