using Microsoft.Win32.SafeHandles;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// Membrane probabilities of a whole tomogram kept on disk (not in memory) as bytes 0..255
/// (p·255 rounded; 1/510 quantisation is far below any threshold choice), z-major like the
/// tomogram, one temporary file per prediction axis. Positional reads and writes only, so memory
/// stays at a few slices whatever the tomogram size; the files are deleted on dispose.
/// </summary>
public sealed class ProbabilityStore : IProbabilitySlices, IDisposable
{
    private readonly SafeFileHandle[] _files;
    private readonly string[] _paths;

    /// <summary>Creates empty stores for <paramref name="axes"/> plane orientations in <paramref name="folder"/>.</summary>
    public ProbabilityStore(string folder, int nx, int ny, int nz, int axes, VoxelSize? voxelSize = null)
    {
        Nx = nx; Ny = ny; Nz = nz;
        Axes = axes;
        Info = new VolumeInfo(nx, ny, nz, VoxelType.UInt8, voxelSize);
        _files = new SafeFileHandle[axes];
        _paths = new string[axes];
        try
        {
            Directory.CreateDirectory(folder);
            for (int a = 0; a < axes; a++)
            {
                _paths[a] = Path.Combine(folder, $".probabilities-{a}.{Guid.NewGuid():N}.tmp");
                _files[a] = File.OpenHandle(_paths[a], FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
                    OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
                RandomAccess.SetLength(_files[a], (long)nx * ny * nz);
                // On Unix the name can go at once: the open handle keeps the data, and nothing is
                // left behind even if the process is killed.
                if (!OperatingSystem.IsWindows()) File.Delete(_paths[a]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Dispose();
            throw new OutputException(folder, $"cannot create temporary probability files ({e.Message}); free {3.0 * nx * ny * nz * axes / 1e9:0.#} GB or choose another --temp folder", e);
        }
    }

    /// <inheritdoc />
    public VolumeInfo Info { get; }

    /// <inheritdoc />
    public int Axes { get; }

    /// <inheritdoc />
    public void ReadSlice(int axis, int z, Span<byte> dest) => ReadRows(axis, z, 0, Ny, dest);

    /// <summary>Width.</summary>
    public int Nx { get; }

    /// <summary>Height.</summary>
    public int Ny { get; }

    /// <summary>Slices.</summary>
    public int Nz { get; }

    /// <summary>Quantises probabilities to bytes.</summary>
    public static void Quantise(ReadOnlySpan<float> p, Span<byte> q)
    {
        for (int i = 0; i < p.Length; i++)
        {
            float v = p[i] * 255f + 0.5f;
            q[i] = v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;
        }
    }

    /// <summary>Writes rows [y0, y0+rows) of slice z for axis a (bytes, row-major).</summary>
    public void WriteRows(int axis, int z, int y0, int rows, ReadOnlySpan<byte> data)
        => RandomAccess.Write(_files[axis], data[..(rows * Nx)], ((long)z * Ny + y0) * Nx);

    /// <summary>Reads rows [y0, y0+rows) of slice z for axis a.</summary>
    public void ReadRows(int axis, int z, int y0, int rows, Span<byte> data)
    {
        var d = data[..(rows * Nx)];
        long offset = ((long)z * Ny + y0) * Nx;
        int done = 0;
        while (done < d.Length)
        {
            int n = RandomAccess.Read(_files[axis], d[done..], offset + done);
            if (n <= 0) { d[done..].Clear(); break; }
            done += n;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var f in _files) f?.Dispose();
        foreach (var p in _paths)
            if (p is not null)
                try { File.Delete(p); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
