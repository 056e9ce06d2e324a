using System.Numerics;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>A binary volume packed 8 voxels to a byte (slices of Nx·Ny bits), for keeping a mask between passes.</summary>
internal sealed class BitVolume
{
    private readonly byte[][] _slices;

    public BitVolume(int nx, int ny, int nz)
    {
        Nx = nx; Ny = ny; Nz = nz;
        _slices = new byte[nz][];
    }

    public int Nx { get; }

    public int Ny { get; }

    public int Nz { get; }

    /// <summary>Bytes held.</summary>
    public long Bytes => _slices.Sum(s => (long)(s?.Length ?? 0));

    /// <summary>Stores slice z (0/1 bytes).</summary>
    public void SetSlice(int z, ReadOnlySpan<byte> slice)
    {
        var bits = _slices[z] ??= new byte[(slice.Length + 7) / 8];
        Array.Clear(bits);
        for (int i = 0; i < slice.Length; i++) if (slice[i] != 0) bits[i >> 3] |= (byte)(1 << (i & 7));
    }

    /// <summary>Unpacks slice z into 0/1 bytes (zeros for a slice never stored).</summary>
    public void GetSlice(int z, Span<byte> dest)
    {
        var s = _slices[z];
        if (s is null) { dest.Clear(); return; }
        int n = dest.Length, full = n >> 3;
        for (int b = 0; b < full; b++)
        {
            int v = s[b], i = b << 3;
            if (v == 0) { dest.Slice(i, 8).Clear(); continue; }
            for (int k = 0; k < 8; k++) dest[i + k] = (byte)((v >> k) & 1);
        }
        for (int i = full << 3; i < n; i++) dest[i] = (byte)((s[i >> 3] >> (i & 7)) & 1);
    }

    /// <summary>The voxel at (x, y, z); false outside the volume or for a slice never stored.</summary>
    public bool Get(int x, int y, int z)
    {
        if ((uint)x >= (uint)Nx || (uint)y >= (uint)Ny || (uint)z >= (uint)Nz) return false;
        var s = _slices[z];
        if (s is null) return false;
        int i = y * Nx + x;
        return (s[i >> 3] & (1 << (i & 7))) != 0;
    }

    /// <summary>Copies the box (inclusive, voxel indices; may reach outside the volume, read as 0) into a 0/1 volume.</summary>
    public Volume<byte> Crop(VoxelBox box)
    {
        var v = new Volume<byte>(box.Width, box.Height, box.Depth);
        for (int z = box.Z0; z <= box.Z1; z++)
        {
            if ((uint)z >= (uint)Nz || _slices[z] is not { } s) continue;
            for (int y = Math.Max(0, box.Y0); y <= Math.Min(Ny - 1, box.Y1); y++)
            {
                var row = v.Row(z - box.Z0, y - box.Y0);
                int x0 = Math.Max(0, box.X0), x1 = Math.Min(Nx - 1, box.X1);
                for (int x = x0; x <= x1; x++)
                {
                    int i = y * Nx + x;
                    if ((s[i >> 3] & (1 << (i & 7))) != 0) row[x - box.X0] = 1;
                }
            }
        }
        return v;
    }
}

/// <summary>Passes a stream through and stores every slice in a <see cref="BitVolume"/> as it goes.</summary>
internal sealed class CacheStream : IMaskStream
{
    private readonly IMaskStream _inner;
    private readonly BitVolume _cache;
    private int _z;

    public CacheStream(IMaskStream inner, BitVolume cache)
    {
        _inner = inner;
        _cache = cache;
        Info = inner.Info;
    }

    public VolumeInfo Info { get; }

    public void Reset()
    {
        _inner.Reset();
        _z = 0;
    }

    public void ReadNext(Span<byte> dest)
    {
        _inner.ReadNext(dest);
        _cache.SetSlice(_z++, dest);
    }
}

/// <summary>Streams a <see cref="BitVolume"/> as a mask.</summary>
internal sealed class BitVolumeStream : IMaskStream
{
    private readonly BitVolume _bits;
    private int _z;

    public BitVolumeStream(BitVolume bits, VolumeInfo info)
    {
        _bits = bits;
        Info = info with { Type = VoxelType.UInt8 };
    }

    public VolumeInfo Info { get; }

    public void Reset() => _z = 0;

    public void ReadNext(Span<byte> dest)
    {
        _bits.GetSlice(_z++, dest);
    }
}

/// <summary>
/// Voxel codes of a filled cell from (closed) membrane labels: 0 outside the cells (background
/// connected to the exterior, as decided by a background labelling), 1 inside a cell and not a
/// membrane, 2 a membrane voxel. Built slice by slice from a <see cref="ComponentEngine"/> run on
/// the background (6-connected, the complement of 26-connected membranes).
/// </summary>
internal sealed class CellCodeStream : IMaskStream
{
    public const byte Exterior = 0, Interior = 1, Membrane = 2;

    private readonly IMaskStream _membranes;
    private readonly IMaskStream? _core;
    private readonly byte[]? _coreSlice;
    private readonly ComponentEngine _engine;
    private readonly byte[] _exterior;
    private readonly SliceRuns _runs;
    private readonly byte[] _inverted, _painted;
    private int _z;

    /// <param name="closedMembranes">The stream the background engine ran on (membranes, or membranes OR <paramref name="core"/>).</param>
    /// <param name="background">Background labelling of that stream.</param>
    /// <param name="exteriorPerComponent">1 for the background components outside the cells.</param>
    /// <param name="core">Deep inside of the cells (barrier voxels, coded inside), or null.</param>
    public CellCodeStream(IMaskStream closedMembranes, ComponentEngine background, byte[] exteriorPerComponent, IMaskStream? core = null)
    {
        _membranes = closedMembranes;
        _core = core;
        _coreSlice = core is null ? null : new byte[closedMembranes.Info.SliceLength];
        _engine = background;
        _exterior = exteriorPerComponent;
        Info = closedMembranes.Info;
        _runs = new SliceRuns(Info.Nx, Info.Ny);
        _inverted = new byte[Info.SliceLength];
        _painted = new byte[Info.SliceLength];
    }

    public VolumeInfo Info { get; }

    public void Reset()
    {
        _membranes.Reset();
        _core?.Reset();
        _z = 0;
    }

    public void ReadNext(Span<byte> dest)
    {
        int z = _z++;
        _membranes.ReadNext(dest);
        _core?.ReadNext(_coreSlice);
        for (int i = 0; i < dest.Length; i++) _inverted[i] = (byte)(dest[i] ^ 1);
        _runs.Build(_inverted, _engine.Connectivity.EightInPlane(), z);
        Array.Clear(_painted);
        _runs.Paint<byte>(_painted, _exterior.AsSpan(_engine.Offset(z), _engine.Offset(z + 1) - _engine.Offset(z)));
        var core = _coreSlice;
        for (int i = 0; i < dest.Length; i++)
            dest[i] = dest[i] != 0 ? (core is not null && core[i] != 0 ? Interior : Membrane) : _painted[i] != 0 ? Exterior : Interior;
    }
}

/// <summary>
/// The solid cell (0/1) from voxel codes (<see cref="CellCodeStream"/>), ending at the middle of
/// the membrane labels: a membrane voxel belongs to the inside when it is at least as close to
/// an inside voxel as to an outside one (so a 2–3 voxel label band is split down its middle, where
/// the membrane is). A band thicker than twice the reach (no inside voxel in reach) keeps the
/// voxels more than 1.5 voxels from the outside. Streamed with a window of slices.
/// </summary>
internal sealed class MidMembraneStream : IMaskStream
{
    private readonly IMaskStream _codes;
    private readonly DistanceWindow _toInside, _toOutside;
    private readonly byte[][] _codeRing;
    private readonly float[] _dIn, _dOut;
    private readonly float _reach2, _outer2;
    private readonly int _reach;
    private int _z, _nextIn;

    public MidMembraneStream(IMaskStream codes, VoxelSize voxel, double reachNm)
    {
        _codes = codes;
        Info = codes.Info;
        double reach = Math.Max(reachNm, 2 * Math.Max(voxel.X, Math.Max(voxel.Y, voxel.Z)));
        _toInside = new DistanceWindow(Info, voxel, reach, CellCodeStream.Interior);
        _toOutside = new DistanceWindow(Info, voxel, reach, CellCodeStream.Exterior);
        _reach = _toInside.Reach;
        _codeRing = new byte[2 * _reach + 1][];
        for (int i = 0; i < _codeRing.Length; i++) _codeRing[i] = new byte[Info.SliceLength];
        _dIn = new float[Info.SliceLength];
        _dOut = new float[Info.SliceLength];
        _reach2 = (float)(reach * reach);
        double outer = 1.5 * (voxel.X + voxel.Y + voxel.Z) / 3;
        _outer2 = (float)(outer * outer);
    }

    public VolumeInfo Info { get; }

    public void Reset()
    {
        _codes.Reset();
        _z = 0;
        _nextIn = 0;
    }

    public void ReadNext(Span<byte> dest)
    {
        int nz = Info.Nz;
        while (_nextIn < nz && _nextIn <= _z + _reach)
        {
            var slot = _codeRing[_nextIn % _codeRing.Length];
            _codes.ReadNext(slot);
            _toInside.Push(slot, _nextIn);
            _toOutside.Push(slot, _nextIn);
            _nextIn++;
        }
        var code = _codeRing[_z % _codeRing.Length];
        bool anyMembrane = code.AsSpan().IndexOf(CellCodeStream.Membrane) >= 0;
        if (anyMembrane)
        {
            _toInside.Distances(_z, _dIn);
            _toOutside.Distances(_z, _dOut);
        }
        float reach2 = _reach2, outer2 = _outer2;
        var dIn = _dIn;
        var dOut = _dOut;
        for (int i = 0; i < dest.Length; i++)
        {
            byte c = code[i];
            if (c != CellCodeStream.Membrane) { dest[i] = c == CellCodeStream.Interior ? (byte)1 : (byte)0; continue; }
            float a = dIn[i], b = dOut[i];
            bool inside = a <= reach2 ? a <= b : b > outer2;
            dest[i] = inside ? (byte)1 : (byte)0;
        }
        _z++;
    }
}

/// <summary>The voxelwise OR of two mask streams of the same shape.</summary>
internal sealed class OrStream : IMaskStream
{
    private readonly IMaskStream _a, _b;
    private readonly byte[] _buffer;

    public OrStream(IMaskStream a, IMaskStream b)
    {
        _a = a;
        _b = b;
        Info = a.Info;
        _buffer = new byte[a.Info.SliceLength];
    }

    public VolumeInfo Info { get; }

    public void Reset()
    {
        _a.Reset();
        _b.Reset();
    }

    public void ReadNext(Span<byte> dest)
    {
        _a.ReadNext(dest);
        _b.ReadNext(_buffer);
        for (int i = 0; i < dest.Length; i++) dest[i] |= _buffer[i];
    }
}
