using System.Runtime.InteropServices;
using SxtSeg.Imaging;
using SxtSeg.Volumes;

namespace SxtSeg.Simulation;

/// <summary>
/// Writes an MRC file in blocks of rows (all slices of rows y0..y0+n, as a simulation slab
/// produces them) at their final positions, so that no whole volume is held in memory. The
/// header's statistics are computed on commit by one streamed pass over the slices with the same
/// <see cref="MrcStatistics"/> as <see cref="MrcWriter"/>, so a file written in blocks is
/// byte-identical to one written slice by slice. The file appears only on <see cref="Commit"/>.
/// </summary>
internal sealed class MrcBlockWriter<T> : IDisposable where T : unmanaged
{
    private readonly AtomicFile _file;
    private readonly MrcHeader _header;
    private readonly VolumeInfo _info;
    private readonly int _elem;

    public MrcBlockWriter(string path, VolumeInfo info, Provenance? provenance)
    {
        if (Volume<T>.Type != info.Type) throw new ArgumentException("element type mismatch", nameof(info));
        _info = info;
        _elem = info.Type.Size();
        _header = MrcHeader.ForVolume(info, provenance);
        _file = AtomicFile.Create(path);
        try
        {
            _file.Stream.SetLength(MrcHeader.Size + info.DataBytes);
        }
        catch (IOException e)
        {
            _file.Dispose();
            throw new OutputException(path, $"cannot write ({e.Message})", e);
        }
    }

    public string Path => _file.Path;

    /// <summary>Writes rows [y0, y0 + rows) of every slice; <paramref name="block"/> is [z][row][x].</summary>
    public void WriteRows(int y0, int rows, ReadOnlySpan<T> block)
    {
        int nx = _info.Nx, ny = _info.Ny;
        if (y0 < 0 || rows <= 0 || y0 + rows > ny || block.Length < (long)rows * nx * _info.Nz)
            throw new ArgumentOutOfRangeException(nameof(rows));
        var bytes = MemoryMarshal.AsBytes(block);
        int blockBytes = rows * nx * _elem;
        try
        {
            for (int z = 0; z < _info.Nz; z++)
            {
                long offset = MrcHeader.Size + ((long)z * ny + y0) * nx * _elem;
                _file.Stream.Position = offset;
                _file.Stream.Write(bytes.Slice(z * blockBytes, blockBytes));
            }
        }
        catch (IOException e)
        {
            throw new OutputException(_file.Path, $"cannot write ({e.Message})", e);
        }
    }

    /// <summary>Computes the statistics, writes the header and moves the file into place.</summary>
    public void Commit()
    {
        int n = checked((int)_info.SliceLength);
        var slice = new T[n];
        var raw = MemoryMarshal.AsBytes(slice.AsSpan());
        var statistics = new MrcStatistics();
        try
        {
            for (int z = 0; z < _info.Nz; z++)
            {
                _file.Stream.Position = MrcHeader.Size + (long)z * n * _elem;
                _file.Stream.ReadExactly(raw);
                statistics.AddSlice(raw, _info.Type, n);
            }
            statistics.Apply(_header);
            Span<byte> hb = stackalloc byte[MrcHeader.Size];
            _header.Write(hb);
            _file.Stream.Position = 0;
            _file.Stream.Write(hb);
        }
        catch (IOException e)
        {
            throw new OutputException(_file.Path, $"cannot write ({e.Message})", e);
        }
        _file.Commit();
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Receives the simulation's outputs slab by slab (rows y0..y0+rows of every slice).</summary>
internal interface ISimulationSink
{
    /// <summary>
    /// Blocks are [z][row][x]; the tilt block is [projection][row][x] (null when not kept).
    /// <paramref name="membranes"/> holds the renderer's label codes (<see cref="LabelCodes"/>).
    /// </summary>
    void WriteRows(int y0, int rows, float[] tomogram, byte[] membranes, byte[] classes, ushort[] instances, float[]? tilt);
}

/// <summary>Splits the renderer's membrane label codes into the membrane and ignore volumes, and back.</summary>
internal static class LabelCodes
{
    /// <summary>membrane = 1 where the code marks a visible or hidden membrane; ignore = 1 where it marks anything but a visible membrane.</summary>
    public static void Split(ReadOnlySpan<byte> codes, Span<byte> membrane, Span<byte> ignore)
    {
        for (int i = 0; i < codes.Length; i++)
        {
            int c = codes[i];
            membrane[i] = (c & (PhantomRenderer.VisibleMembrane | PhantomRenderer.HiddenMembrane)) != 0 ? (byte)1 : (byte)0;
            ignore[i] = c != 0 && (c & PhantomRenderer.VisibleMembrane) == 0 ? (byte)1 : (byte)0;
        }
    }

    /// <summary>The codes of a membrane and an ignore volume (a membrane that is ignored is hidden).</summary>
    public static void Join(ReadOnlySpan<byte> membrane, ReadOnlySpan<byte> ignore, Span<byte> codes)
    {
        for (int i = 0; i < codes.Length; i++)
            codes[i] = membrane[i] != 0
                ? ignore[i] != 0 ? PhantomRenderer.HiddenMembrane : PhantomRenderer.VisibleMembrane
                : ignore[i] != 0 ? PhantomRenderer.IgnoreBand : (byte)0;
    }
}

/// <summary>Keeps the outputs as in-memory volumes.</summary>
internal sealed class VolumeSink : ISimulationSink
{
    public VolumeSink(SimulationParameters p, int projections)
    {
        var vs = VoxelSize.Isotropic(p.VoxelSizeNm);
        Tomogram = new Volume<float>(p.Nx, p.Ny, p.Nz, vs);
        Membranes = new Volume<byte>(p.Nx, p.Ny, p.Nz, vs);
        Ignore = new Volume<byte>(p.Nx, p.Ny, p.Nz, vs);
        Classes = new Volume<byte>(p.Nx, p.Ny, p.Nz, vs);
        Instances = new Volume<ushort>(p.Nx, p.Ny, p.Nz, vs);
        TiltSeries = p.KeepTiltSeries ? new Volume<float>(p.Nx, p.Ny, projections, vs) : null;
    }

    public Volume<float> Tomogram { get; }
    public Volume<byte> Membranes { get; }
    public Volume<byte> Ignore { get; }
    public Volume<byte> Classes { get; }
    public Volume<ushort> Instances { get; }
    public Volume<float>? TiltSeries { get; }

    public void WriteRows(int y0, int rows, float[] tomogram, byte[] membranes, byte[] classes, ushort[] instances, float[]? tilt)
    {
        Scatter(Tomogram, y0, rows, tomogram);
        int n = rows * Membranes.Nx * Membranes.Nz;
        var mem = new byte[n];
        var ign = new byte[n];
        LabelCodes.Split(membranes.AsSpan(0, n), mem, ign);
        Scatter(Membranes, y0, rows, mem);
        Scatter(Ignore, y0, rows, ign);
        Scatter(Classes, y0, rows, classes);
        Scatter(Instances, y0, rows, instances);
        if (TiltSeries is not null && tilt is not null) Scatter(TiltSeries, y0, rows, tilt);
    }

    private static void Scatter<T>(Volume<T> v, int y0, int rows, T[] block) where T : unmanaged
    {
        int nx = v.Nx, n = rows * nx;
        for (int z = 0; z < v.Nz; z++)
            block.AsSpan(z * n, n).CopyTo(v.Data.AsSpan((int)(((long)z * v.Ny + y0) * nx), n));
    }
}

/// <summary>
/// Writes the output folder as the slabs arrive: MRC files in blocks, then the TIFF labels and
/// the preview by streaming the finished files, and truth.json. Used by the command line (constant
/// memory whatever the size) and by <see cref="SimulationResult.Save(OutputFolder, Provenance, IProgress{ProgressUpdate})"/>,
/// so both give the same bytes.
/// </summary>
internal sealed class FolderSink : ISimulationSink, IDisposable
{
    private readonly OutputFolder _folder;
    private readonly Provenance _prov;
    private readonly MrcBlockWriter<float> _tomogram;
    private readonly MrcBlockWriter<byte> _membranes, _ignore, _classes;
    private byte[] _mem = Array.Empty<byte>(), _ign = Array.Empty<byte>();
    private readonly MrcBlockWriter<ushort> _instances;
    private readonly MrcBlockWriter<float>? _tilt;
    private readonly long[] _organelleVoxels;
    private readonly SimulationParameters _p;

    public FolderSink(OutputFolder folder, SimulationParameters p, int projections, Provenance provenance)
    {
        _folder = folder;
        // Optional outputs left by an earlier simulation into the same folder are removed on commit
        // (both the streaming simulator and an in-memory result's Save write through this sink).
        folder.Owns(SimulationResult.Files.Clean, SimulationResult.Files.TiltSeries, SimulationResult.Files.TiltAngles);
        _p = p;
        _prov = SimulationResult.AddParameters(provenance, p);
        var vs = VoxelSize.Isotropic(p.VoxelSizeNm);
        VolumeInfo Info(VoxelType t, int nz) => new(p.Nx, p.Ny, nz, t, vs);
        _organelleVoxels = new long[p.Nz];
        try
        {
            _tomogram = new MrcBlockWriter<float>(folder.File(SimulationResult.Files.Tomogram), Info(VoxelType.Float32, p.Nz), _prov.Derive("simulate:tomogram"));
            _membranes = new MrcBlockWriter<byte>(folder.File(SimulationResult.Files.Membranes), Info(VoxelType.UInt8, p.Nz), _prov.Derive("simulate:membranes"));
            _ignore = new MrcBlockWriter<byte>(folder.File(SimulationResult.Files.Ignore), Info(VoxelType.UInt8, p.Nz), _prov.Derive("simulate:ignore"));
            _classes = new MrcBlockWriter<byte>(folder.File(SimulationResult.Files.Classes), Info(VoxelType.UInt8, p.Nz), _prov.Derive("simulate:classes"));
            _instances = new MrcBlockWriter<ushort>(folder.File(SimulationResult.Files.Instances), Info(VoxelType.UInt16, p.Nz), _prov.Derive("simulate:instances"));
            if (p.KeepTiltSeries)
                _tilt = new MrcBlockWriter<float>(folder.File(SimulationResult.Files.TiltSeries), Info(VoxelType.Float32, projections), _prov.Derive("simulate:tiltseries"));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void WriteRows(int y0, int rows, float[] tomogram, byte[] membranes, byte[] classes, ushort[] instances, float[]? tilt)
    {
        _tomogram.WriteRows(y0, rows, tomogram);
        int len = rows * _p.Nx * _p.Nz;
        if (_mem.Length < len)
        {
            _mem = new byte[len];
            _ign = new byte[len];
        }
        LabelCodes.Split(membranes.AsSpan(0, len), _mem.AsSpan(0, len), _ign.AsSpan(0, len));
        _membranes.WriteRows(y0, rows, _mem);
        _ignore.WriteRows(y0, rows, _ign);
        _classes.WriteRows(y0, rows, classes);
        _instances.WriteRows(y0, rows, instances);
        if (_tilt is not null && tilt is not null) _tilt.WriteRows(y0, rows, tilt);
        int n = rows * _p.Nx;
        for (int z = 0; z < _p.Nz; z++)
        {
            long c = 0;
            foreach (byte b in classes.AsSpan(z * n, n)) if (b >= (byte)SimClass.Nucleus && b != (byte)SimClass.GoldBead) c++;
            _organelleVoxels[z] += c;
        }
    }

    /// <summary>The slice crossing the most organelle voxels (ties: nearest the middle).</summary>
    public int PreviewSlice => SimulationResult.BestSlice(_organelleVoxels);

    /// <summary>Finishes every file of the folder (the caller commits the folder).</summary>
    public void Finish(Phantom phantom, Acquisition acquisition, IReadOnlyList<TruthObject> objects, IProgress<ProgressUpdate>? progress)
    {
        int steps = _tilt is null ? 7 : 8, step = 0;
        progress.Report("writing", step, steps, "files");
        _tomogram.Commit();
        progress.Report("writing", ++step, steps, "files");
        _membranes.Commit();
        _ignore.Commit();
        _classes.Commit();
        _instances.Commit();
        progress.Report("writing", ++step, steps, "files");
        if (_tilt is not null)
        {
            _tilt.Commit();
            AtomicFile.WriteAllText(_folder.File(SimulationResult.Files.TiltAngles),
                string.Concat(acquisition.Nominal.Select(a => a.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "\n")));
            progress.Report("writing", ++step, steps, "files");
        }
        // TIFF labels (0/255) streamed from the finished MRC.
        using (var r = VolumeIO.OpenRead(_folder.File(SimulationResult.Files.Membranes)))
        using (var w = VolumeIO.Create(_folder.File(SimulationResult.Files.MembranesTiff), r.Info with { Labels = Array.Empty<string>() }, _prov.Derive("simulate:membranes")))
        {
            var buf = new byte[r.Info.SliceLength];
            for (int z = 0; z < r.Info.Nz; z++)
            {
                r.ReadSlice<byte>(z, buf);
                for (int i = 0; i < buf.Length; i++) buf[i] = buf[i] != 0 ? (byte)255 : (byte)0;
                w.WriteSlice<byte>(buf);
            }
            w.Commit();
        }
        progress.Report("writing", ++step, steps, "files");
        int z0 = PreviewSlice;
        AtomicFile.WriteAllText(_folder.File(SimulationResult.Files.Truth), SimulationResult.TruthJson(_p, phantom, acquisition, objects, _prov, z0));
        progress.Report("writing", ++step, steps, "files");
        float[] tomo;
        byte[] mem;
        using (var r = VolumeIO.OpenRead(_folder.File(SimulationResult.Files.Tomogram))) tomo = r.ReadSlice<float>(z0);
        using (var r = VolumeIO.OpenRead(_folder.File(SimulationResult.Files.Membranes))) mem = r.ReadSlice<byte>(z0);
        var rgb = SimulationResult.PreviewRgb(tomo, mem, _p.Nx, _p.Ny, out int pw, out int ph);
        Png.WriteRgb(_folder.File(SimulationResult.Files.Preview), pw, ph, rgb, new Dictionary<string, string>
        {
            ["Software"] = ToolInfo.NameAndVersion,
            ["Description"] = $"simulated tomogram slice z={z0} (left) with membrane labels (right)",
            ["Source"] = _prov.ToJson(),
        });
        progress.Report("writing", ++step, steps, "files");
        progress.Report("writing", steps, steps, "files");
    }

    public void Dispose()
    {
        _tomogram?.Dispose();
        _membranes?.Dispose();
        _ignore?.Dispose();
        _classes?.Dispose();
        _instances?.Dispose();
        _tilt?.Dispose();
    }
}

/// <summary>A sink that keeps only the tomogram, streamed into one MRC file (the noise-free twin, <c>clean.mrc</c>).</summary>
internal sealed class TomogramSink : ISimulationSink, IDisposable
{
    private readonly MrcBlockWriter<float> _tomogram;

    public TomogramSink(string path, SimulationParameters p, Provenance provenance)
        => _tomogram = new MrcBlockWriter<float>(path, new VolumeInfo(p.Nx, p.Ny, p.Nz, VoxelType.Float32, VoxelSize.Isotropic(p.VoxelSizeNm)), provenance);

    public void WriteRows(int y0, int rows, float[] tomogram, byte[] membranes, byte[] classes, ushort[] instances, float[]? tilt)
        => _tomogram.WriteRows(y0, rows, tomogram);

    /// <summary>Finishes the file.</summary>
    public void Commit() => _tomogram.Commit();

    public void Dispose() => _tomogram.Dispose();
}
