using System.Numerics;
using System.Runtime.InteropServices;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// Squared Euclidean distance (nm²) from every pixel of a slice to the nearest "source" pixel of
/// that slice whose row lies within <c>ky</c> rows (anisotropic pixels honoured). Exact for every
/// distance up to the cap the window was made for; larger distances come out larger than the cap
/// or infinite. Rows: two linear scans; columns: a brute-force window (contiguous, vectorised).
/// </summary>
internal sealed class SliceDistance
{
    private readonly int _nx, _ny, _ky;
    private readonly float _vx;
    private readonly float[] _rowPass;
    private readonly float[] _yOffsets;

    public SliceDistance(int nx, int ny, VoxelSize voxel, double capNm)
    {
        _nx = nx;
        _ny = ny;
        _vx = (float)voxel.X;
        _ky = (int)Math.Floor(capNm / voxel.Y + 1e-9);
        _rowPass = new float[(long)nx * ny];
        _yOffsets = new float[_ky + 1];
        for (int d = 0; d <= _ky; d++) _yOffsets[d] = (float)(d * voxel.Y * d * voxel.Y);
    }

    /// <summary>Writes into <paramref name="dest"/> the squared distance to the nearest pixel equal to <paramref name="source"/> (infinity when none is in reach).</summary>
    public void Compute(byte[] slice, byte source, float[] dest)
    {
        int nx = _nx, ny = _ny;
        float vx = _vx;
        var rowPass = _rowPass;
        var sliceArray = slice;
        Parallel.For(0, (ny + 15) / 16, block =>
        {
            int y0 = block * 16, y1 = Math.Min(ny, y0 + 16);
            for (int y = y0; y < y1; y++)
            {
                var src = sliceArray.AsSpan(y * nx, nx);
                var f = rowPass.AsSpan(y * nx, nx);
                int last = -1;
                for (int x = 0; x < nx; x++)
                {
                    if (src[x] == source) last = x;
                    f[x] = last < 0 ? float.PositiveInfinity : Sq((x - last) * vx);
                }
                last = -1;
                for (int x = nx - 1; x >= 0; x--)
                {
                    if (src[x] == source) last = x;
                    if (last >= 0)
                    {
                        float d = Sq((last - x) * vx);
                        if (d < f[x]) f[x] = d;
                    }
                }
            }
        });
        int ky = _ky;
        var offsets = _yOffsets;
        Parallel.For(0, (ny + 15) / 16, block =>
        {
            int y0 = block * 16, y1 = Math.Min(ny, y0 + 16);
            for (int y = y0; y < y1; y++)
            {
                var acc = dest.AsSpan(y * nx, nx);
                rowPass.AsSpan(y * nx, nx).CopyTo(acc);
                for (int d = 1; d <= ky; d++)
                {
                    float c = offsets[d];
                    if (y - d >= 0) MinAdd(acc, rowPass.AsSpan((y - d) * nx, nx), c);
                    if (y + d < ny) MinAdd(acc, rowPass.AsSpan((y + d) * nx, nx), c);
                }
            }
        });
    }

    private static float Sq(float v) => v * v;

    /// <summary>acc[i] = min(acc[i], src[i] + c), vectorised.</summary>
    public static void MinAdd(Span<float> acc, ReadOnlySpan<float> src, float c)
    {
        int i = 0, n = acc.Length;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vc = new Vector<float>(c);
            ref float ra = ref MemoryMarshal.GetReference(acc);
            ref float rs = ref MemoryMarshal.GetReference(src);
            int w = Vector<float>.Count;
            for (; i <= n - w; i += w)
            {
                var a = Vector.LoadUnsafe(ref ra, (nuint)i);
                var s = Vector.LoadUnsafe(ref rs, (nuint)i) + vc;
                Vector.Min(a, s).StoreUnsafe(ref ra, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float s = src[i] + c;
            if (s < acc[i]) acc[i] = s;
        }
    }
}

/// <summary>
/// A ring of per-slice squared distances (<see cref="SliceDistance"/>) over a window of slices,
/// giving the exact 3D squared distance to the nearest source up to a cap, one slice at a time
/// as the input is read. Outside the volume there are no sources (MATLAB's border rules for
/// both erosion and dilation).
/// </summary>
internal sealed class DistanceWindow
{
    private readonly int _kz, _nz;
    private readonly float[][] _ring;
    private readonly float[] _zOffsets;
    private readonly SliceDistance _slice;
    private readonly byte _source;

    public DistanceWindow(VolumeInfo info, VoxelSize voxel, double capNm, byte source)
    {
        _nz = info.Nz;
        _kz = (int)Math.Floor(capNm / voxel.Z + 1e-9);
        _source = source;
        _ring = new float[2 * _kz + 1][];
        for (int i = 0; i < _ring.Length; i++) _ring[i] = new float[info.SliceLength];
        _zOffsets = new float[_kz + 1];
        for (int d = 0; d <= _kz; d++) _zOffsets[d] = (float)(d * voxel.Z * d * voxel.Z);
        _slice = new SliceDistance(info.Nx, info.Ny, voxel, capNm);
    }

    /// <summary>Slices of look-ahead needed before slice z can be finished.</summary>
    public int Reach => _kz;

    /// <summary>Adds input slice z (slices must come in order).</summary>
    public void Push(byte[] slice, int z) => _slice.Compute(slice, _source, _ring[z % _ring.Length]);

    /// <summary>Squared distances of slice z into <paramref name="dest"/>; slices z − Reach .. z + Reach (those in the volume) must have been pushed.</summary>
    public void Distances(int z, float[] dest)
    {
        int kz = _kz, nz = _nz;
        var ring = _ring;
        var offsets = _zOffsets;
        int n = dest.Length;
        const int Block = 1 << 14;
        Parallel.For(0, (n + Block - 1) / Block, b =>
        {
            int i0 = b * Block, len = Math.Min(Block, n - i0);
            var acc = dest.AsSpan(i0, len);
            ring[z % ring.Length].AsSpan(i0, len).CopyTo(acc);
            for (int d = 1; d <= kz; d++)
            {
                float c = offsets[d];
                if (z - d >= 0) SliceDistance.MinAdd(acc, ring[(z - d) % ring.Length].AsSpan(i0, len), c);
                if (z + d < nz) SliceDistance.MinAdd(acc, ring[(z + d) % ring.Length].AsSpan(i0, len), c);
            }
        });
    }
}

/// <summary>
/// Erosion or dilation by a Euclidean ball of radius R (nm), streamed: erosion keeps the voxels
/// with no background voxel within R; dilation adds every voxel within R of a foreground voxel.
/// Voxels outside the volume count as foreground for erosion and background for dilation.
/// Memory: 2·R/Δz + 1 slices of distances.
/// </summary>
internal sealed class BallStepStream : IMaskStream
{
    private readonly IMaskStream _inner;
    private readonly DistanceWindow _window;
    private readonly bool _erode;
    private readonly float _r2;
    private readonly byte[] _input;
    private readonly float[] _d2;
    private int _z, _nextIn;

    public BallStepStream(IMaskStream inner, VoxelSize voxel, double radiusNm, bool erode)
    {
        _inner = inner;
        Info = inner.Info;
        _erode = erode;
        _r2 = (float)(radiusNm * radiusNm);
        _window = new DistanceWindow(Info, voxel, radiusNm, erode ? (byte)0 : (byte)1);
        _input = new byte[Info.SliceLength];
        _d2 = new float[Info.SliceLength];
    }

    public VolumeInfo Info { get; }

    public void Reset()
    {
        _inner.Reset();
        _z = 0;
        _nextIn = 0;
    }

    public void ReadNext(Span<byte> dest)
    {
        int nz = Info.Nz;
        if (_z >= nz) throw new InvalidOperationException("read past the last slice");
        while (_nextIn < nz && _nextIn <= _z + _window.Reach)
        {
            _inner.ReadNext(_input);
            _window.Push(_input, _nextIn++);
        }
        _window.Distances(_z, _d2);
        float r2 = _r2;
        var d2 = _d2;
        if (_erode)
            for (int i = 0; i < dest.Length; i++) dest[i] = d2[i] > r2 ? (byte)1 : (byte)0;
        else
            for (int i = 0; i < dest.Length; i++) dest[i] = d2[i] <= r2 ? (byte)1 : (byte)0;
        _z++;
    }
}

/// <summary>Passes a stream through and keeps a copy of every slice read until the consumer takes it.</summary>
internal sealed class TeeQueueStream : IMaskStream
{
    private readonly IMaskStream _inner;
    private readonly Queue<byte[]> _queue = new();
    private readonly Stack<byte[]> _free = new();

    public TeeQueueStream(IMaskStream inner)
    {
        _inner = inner;
        Info = inner.Info;
    }

    public VolumeInfo Info { get; }

    public void Reset()
    {
        while (_queue.Count > 0) _free.Push(_queue.Dequeue());
        _inner.Reset();
    }

    public void ReadNext(Span<byte> dest)
    {
        _inner.ReadNext(dest);
        var copy = _free.Count > 0 ? _free.Pop() : new byte[Info.SliceLength];
        dest.CopyTo(copy);
        _queue.Enqueue(copy);
    }

    /// <summary>The oldest slice read and not yet taken, copied into <paramref name="dest"/>.</summary>
    public void Take(Span<byte> dest)
    {
        var b = _queue.Dequeue();
        b.CopyTo(dest);
        _free.Push(b);
    }
}

/// <summary>
/// Opening by a Euclidean ball (erosion then dilation, radius in nm), or its residual: the input
/// minus its opening (the white top-hat), i.e. the parts of the input no ball of that radius fits
/// in. Streamed.
/// </summary>
internal sealed class BallOpeningStream : IMaskStream
{
    private TeeQueueStream? _tee;
    private IMaskStream _opened;
    private byte[]? _original;

    /// <param name="inner">The mask.</param>
    /// <param name="voxel">Voxel size (nm).</param>
    /// <param name="radiusNm">Ball radius (nm).</param>
    /// <param name="residual">Output the input minus its opening instead of the opening.</param>
    /// <param name="dilationSlackNm">
    /// Extra radius of the dilation (nm): a digital erosion stops up to a voxel short of the
    /// continuous one, so a slightly wider dilation restores the opened set to the input's surface
    /// (the result is still cut to the input).
    /// </param>
    public BallOpeningStream(IMaskStream inner, VoxelSize voxel, double radiusNm, bool residual, double dilationSlackNm = 0)
    {
        Info = inner.Info;
        IMaskStream source = inner;
        if (residual)
        {
            _tee = new TeeQueueStream(inner);
            source = _tee;
            _original = new byte[Info.SliceLength];
        }
        _opened = new BallStepStream(new BallStepStream(source, voxel, radiusNm, erode: true), voxel, radiusNm + dilationSlackNm, erode: false);
        _slack = dilationSlackNm > 0;
        if (_slack && _tee is null)
        {
            _tee = new TeeQueueStream(inner);
            _opened = new BallStepStream(new BallStepStream(_tee, voxel, radiusNm, erode: true), voxel, radiusNm + dilationSlackNm, erode: false);
            _original = new byte[Info.SliceLength];
        }
        _residual = residual;
    }

    private readonly bool _slack, _residual;

    public VolumeInfo Info { get; }

    public void Reset() => _opened.Reset();

    public void ReadNext(Span<byte> dest)
    {
        _opened.ReadNext(dest);
        if (_tee is null) return;
        _tee.Take(_original);
        var o = _original!;
        if (_residual)
            for (int i = 0; i < dest.Length; i++) dest[i] = (byte)(o[i] & (dest[i] ^ 1));
        else
            for (int i = 0; i < dest.Length; i++) dest[i] &= o[i];
    }
}
