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

/// <summary>
/// Voxel codes of a filled cell (<see cref="CellCodeStream"/> codes) built slice by slice in 2D, for
/// membrane labels that are open at the top and bottom (membranes lying in the slice plane, inside
/// the missing wedge, are not labelled): in each x–y slice the side walls of the plasma membrane and
/// of the filopodia are rings, so the background that a 4-connected flood from the slice's border
/// cannot reach is inside. Voxels of an optional body mask (a rough cell mask) are inside and act as
/// walls, so a cell cut by the field of view, whose cross-section touches the border, is closed by
/// the mask. The inside is then regularised in z: a voxel is filled when the majority of the
/// 2k + 1 slices around it are (a one-slice gap in a wall does not open a filopodium).
/// </summary>
internal sealed class SliceFillStream : IMaskStream
{
    private readonly IMaskStream _membranes;
    private readonly IMaskStream? _body;
    private readonly int _k, _nx, _ny;
    private readonly byte[][] _codeRing;
    private readonly byte[] _bodySlice;
    private readonly int[] _stack;
    private readonly ushort[] _count;
    private int _z, _nextIn;

    /// <param name="membranes">Membrane labels (closed), 1 = membrane.</param>
    /// <param name="body">Optional rough cell mask (1 = cell): inside, and a wall for the flood.</param>
    /// <param name="zMajority">k of the ±k slice majority (0 = none).</param>
    public SliceFillStream(IMaskStream membranes, IMaskStream? body, int zMajority)
    {
        _membranes = membranes;
        _body = body;
        _k = zMajority;
        Info = membranes.Info;
        _nx = Info.Nx;
        _ny = Info.Ny;
        _codeRing = new byte[2 * _k + 1][];
        for (int i = 0; i < _codeRing.Length; i++) _codeRing[i] = new byte[Info.SliceLength];
        _bodySlice = new byte[Info.SliceLength];
        _stack = new int[Info.SliceLength];
        _count = new ushort[Info.SliceLength];
    }

    public VolumeInfo Info { get; }

    public void Reset()
    {
        _membranes.Reset();
        _body?.Reset();
        _z = 0;
        _nextIn = 0;
        Array.Clear(_count);
    }

    public void ReadNext(Span<byte> dest)
    {
        int nz = Info.Nz, ring = _codeRing.Length;
        // slices z + k + 1 .. in; the count holds the filled flags of slices [z − k, z + k]
        while (_nextIn < nz && _nextIn <= _z + _k)
        {
            if (_nextIn - ring >= 0) Subtract(_codeRing[(_nextIn - ring) % ring]);
            var slot = _codeRing[_nextIn % ring];
            Fill(slot);
            Add(slot);
            _nextIn++;
        }
        int lo = Math.Max(0, _z - _k), hi = Math.Min(nz - 1, _z + _k);
        if (_z - _k - 1 >= 0 && _z + _k >= nz) Subtract(_codeRing[(_z - _k - 1) % ring]); // near the end no new slice pushes the oldest out
        int window = hi - lo + 1;
        var code = _codeRing[_z % ring];
        var count = _count;
        for (int i = 0; i < dest.Length; i++)
        {
            bool filled = 2 * count[i] > window;
            byte c = code[i];
            dest[i] = !filled ? CellCodeStream.Exterior : c == CellCodeStream.Membrane ? CellCodeStream.Membrane : CellCodeStream.Interior;
        }
        _z++;
    }

    private void Add(byte[] codes)
    {
        var count = _count;
        for (int i = 0; i < codes.Length; i++) if (codes[i] != CellCodeStream.Exterior) count[i]++;
    }

    private void Subtract(byte[] codes)
    {
        var count = _count;
        for (int i = 0; i < codes.Length; i++) if (codes[i] != CellCodeStream.Exterior) count[i]--;
    }

    /// <summary>Codes of the next slice: membrane 2, body 1, background reached from the border 0, enclosed background 1.</summary>
    private void Fill(byte[] codes)
    {
        _membranes.ReadNext(codes);
        if (_body is not null) _body.ReadNext(_bodySlice);
        else Array.Clear(_bodySlice);
        const byte Unseen = 255;
        var body = _bodySlice;
        for (int i = 0; i < codes.Length; i++)
            codes[i] = body[i] != 0 ? CellCodeStream.Interior : codes[i] != 0 ? CellCodeStream.Membrane : Unseen;
        int nx = _nx, ny = _ny, top = 0;
        var stack = _stack;
        void Seed(int i)
        {
            if (codes[i] != Unseen) return;
            codes[i] = CellCodeStream.Exterior;
            stack[top++] = i;
        }
        for (int x = 0; x < nx; x++) { Seed(x); Seed((ny - 1) * nx + x); }
        for (int y = 0; y < ny; y++) { Seed(y * nx); Seed(y * nx + nx - 1); }
        while (top > 0)
        {
            int i = stack[--top];
            int x = i % nx;
            if (x > 0) Seed(i - 1);
            if (x < nx - 1) Seed(i + 1);
            if (i >= nx) Seed(i - nx);
            if (i < (ny - 1) * nx) Seed(i + nx);
        }
        for (int i = 0; i < codes.Length; i++) if (codes[i] == Unseen) codes[i] = CellCodeStream.Interior;
    }
}
