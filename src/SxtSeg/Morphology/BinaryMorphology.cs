using System.Numerics;
using System.Runtime.InteropServices;
using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>
/// Binary post-processing of masks: erosion, dilation, opening and closing (n steps of the 3×3×3
/// neighbourhood of a connectivity), hole filling (3D enclosed cavities, or per slice) and
/// small-object removal. Each is available on in-memory volumes and as a chainable
/// <see cref="IMaskStream"/> for volumes streamed from disk (memory: a few slices per step).
/// <para>
/// Borders follow MATLAB's <c>imerode</c>/<c>imdilate</c>: voxels outside the volume count as
/// foreground for erosion and as background for dilation, so neither creates or removes objects
/// at the edge of the field of view.
/// </para>
/// </summary>
public static class BinaryMorphology
{
    /// <summary>Erodes <paramref name="steps"/> times (returns a new 0/1 volume).</summary>
    public static Volume<byte> Erode(Volume<byte> mask, int steps, Connectivity connectivity = Connectivity.TwentySix)
        => MaskStreams.FromVolume(mask).Erode(steps, connectivity).ToVolume();

    /// <summary>Dilates <paramref name="steps"/> times (returns a new 0/1 volume).</summary>
    public static Volume<byte> Dilate(Volume<byte> mask, int steps, Connectivity connectivity = Connectivity.TwentySix)
        => MaskStreams.FromVolume(mask).Dilate(steps, connectivity).ToVolume();

    /// <summary>Closing: <paramref name="steps"/> dilations then as many erosions (bridges gaps up to about 2·steps voxels).</summary>
    public static Volume<byte> Close(Volume<byte> mask, int steps, Connectivity connectivity = Connectivity.TwentySix)
        => MaskStreams.FromVolume(mask).Close(steps, connectivity).ToVolume();

    /// <summary>Opening: <paramref name="steps"/> erosions then as many dilations (removes thin protrusions).</summary>
    public static Volume<byte> Open(Volume<byte> mask, int steps, Connectivity connectivity = Connectivity.TwentySix)
        => MaskStreams.FromVolume(mask).Open(steps, connectivity).ToVolume();

    /// <summary>Fills enclosed cavities in 3D (background not connected to the volume's faces).</summary>
    public static Volume<byte> FillHoles(Volume<byte> mask, Connectivity connectivity = Connectivity.TwentySix)
        => MaskStreams.FromVolume(mask).FillHoles(connectivity).ToVolume();

    /// <summary>Fills holes slice by slice (background regions of a slice not connected to the slice's edges), as MIB's and Fiji's 2D fill.</summary>
    public static Volume<byte> FillSliceHoles(Volume<byte> mask, Connectivity connectivity = Connectivity.TwentySix)
        => MaskStreams.FromVolume(mask).FillSliceHoles(connectivity).ToVolume();

    /// <summary>Streams the erosion of <paramref name="mask"/> (<paramref name="steps"/> ≥ 0).</summary>
    public static IMaskStream Erode(this IMaskStream mask, int steps, Connectivity connectivity = Connectivity.TwentySix)
        => Chain(mask, steps, connectivity, erode: true);

    /// <summary>Streams the dilation of <paramref name="mask"/>.</summary>
    public static IMaskStream Dilate(this IMaskStream mask, int steps, Connectivity connectivity = Connectivity.TwentySix)
        => Chain(mask, steps, connectivity, erode: false);

    /// <summary>Streams the closing of <paramref name="mask"/>.</summary>
    public static IMaskStream Close(this IMaskStream mask, int steps, Connectivity connectivity = Connectivity.TwentySix)
        => mask.Dilate(steps, connectivity).Erode(steps, connectivity);

    /// <summary>Streams the opening of <paramref name="mask"/>.</summary>
    public static IMaskStream Open(this IMaskStream mask, int steps, Connectivity connectivity = Connectivity.TwentySix)
        => mask.Erode(steps, connectivity).Dilate(steps, connectivity);

    /// <summary>
    /// Streams <paramref name="mask"/> with its enclosed 3D cavities filled. The background is
    /// labelled with the connectivity complementary to <paramref name="connectivity"/> (26 → 6), and
    /// background components that touch no face of the volume are filled. Runs one labelling pass
    /// over the input now.
    /// </summary>
    public static IMaskStream FillHoles(this IMaskStream mask, Connectivity connectivity = Connectivity.TwentySix, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        var info = mask.Info;
        var engine = ComponentEngine.Run(mask, connectivity.Complement(), inverted: true, progress, "finding holes", cancellation);
        var paint = new byte[engine.GlobalCount];
        for (int i = 0; i < paint.Length; i++)
            paint[i] = engine.RootBoxes[engine.Roots[i]].TouchesBorder(info.Nx, info.Ny, info.Nz) ? (byte)0 : (byte)1;
        return new ComponentPaintStream(mask, engine, paint, keepInput: true);
    }

    /// <summary>Streams <paramref name="mask"/> with the holes of every slice filled (2D, background connectivity complementary in the slice).</summary>
    public static IMaskStream FillSliceHoles(this IMaskStream mask, Connectivity connectivity = Connectivity.TwentySix)
        => new SliceHoleFillStream(mask, !connectivity.EightInPlane());

    /// <summary>
    /// Streams <paramref name="mask"/> without 3D objects smaller than <paramref name="minVoxels"/>
    /// (connected under <paramref name="connectivity"/>). Runs one labelling pass now.
    /// </summary>
    public static IMaskStream RemoveSmallObjects(this IMaskStream mask, long minVoxels, Connectivity connectivity = Connectivity.TwentySix, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minVoxels);
        var engine = ComponentEngine.Run(mask, connectivity, inverted: false, progress, "removing small objects", cancellation);
        var paint = new byte[engine.GlobalCount];
        for (int i = 0; i < paint.Length; i++) paint[i] = engine.RootVoxels[engine.Roots[i]] >= minVoxels ? (byte)1 : (byte)0;
        return new ComponentPaintStream(mask, engine, paint, keepInput: false);
    }

    private static IMaskStream Chain(IMaskStream mask, int steps, Connectivity connectivity, bool erode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        for (int i = 0; i < steps; i++) mask = new MorphologyStepStream(mask, connectivity, erode);
        return mask;
    }
}

/// <summary>One erosion or dilation step over a sliding window of three slices.</summary>
internal sealed class MorphologyStepStream : IMaskStream
{
    private readonly IMaskStream _inner;
    private readonly bool _erode;
    private readonly byte _pad;
    private readonly (int Dz, int Dy, int Dx)[] _offsets;
    private byte[] _prev, _cur, _next;
    private readonly byte[] _padSlice, _out;
    private int _z;

    public MorphologyStepStream(IMaskStream inner, Connectivity connectivity, bool erode)
    {
        _inner = inner;
        _erode = erode;
        _pad = erode ? (byte)1 : (byte)0;
        Info = inner.Info;
        int n = (int)Info.SliceLength;
        _prev = new byte[n]; _cur = new byte[n]; _next = new byte[n];
        _padSlice = new byte[n];
        _out = new byte[n];
        _padSlice.AsSpan().Fill(_pad);
        var list = new List<(int, int, int)>();
        for (int dz = -1; dz <= 1; dz++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                {
                    int d = Math.Abs(dx) + Math.Abs(dy) + Math.Abs(dz);
                    if (d == 0) continue;
                    if (connectivity == Connectivity.Six && d > 1) continue;
                    if (connectivity == Connectivity.Eighteen && d > 2) continue;
                    list.Add((dz, dy, dx));
                }
        _offsets = list.ToArray();
    }

    public VolumeInfo Info { get; }

    public void Reset()
    {
        _inner.Reset();
        _z = 0;
        _padSlice.CopyTo(_prev, 0);
        _inner.ReadNext(_cur);
        if (Info.Nz > 1) _inner.ReadNext(_next); else _padSlice.CopyTo(_next, 0);
    }

    public void ReadNext(Span<byte> dest)
    {
        if (_z >= Info.Nz) throw new InvalidOperationException("read past the last slice");
        int nx = Info.Nx, ny = Info.Ny;
        var prev = _prev; var cur = _cur; var next = _next; var pad = _padSlice;
        var offsets = _offsets;
        bool erode = _erode;
        byte padValue = _pad;
        var result = _out;
        // Rows in parallel blocks; each row combines the shifted neighbour rows.
        Parallel.For(0, (ny + 31) / 32, block =>
        {
            int y0 = block * 32, y1 = Math.Min(ny, y0 + 32);
            for (int y = y0; y < y1; y++)
            {
                var acc = result.AsSpan(y * nx, nx);
                cur.AsSpan(y * nx, nx).CopyTo(acc);
                foreach (var (dz, dy, dx) in offsets)
                {
                    int yy = y + dy;
                    ReadOnlySpan<byte> src;
                    if ((uint)yy >= (uint)ny) src = pad.AsSpan(0, nx);
                    else
                    {
                        var plane = dz < 0 ? prev : dz > 0 ? next : cur;
                        src = plane.AsSpan(yy * nx, nx);
                    }
                    RowOps.Combine(acc, src, dx, erode, padValue);
                }
            }
        });
        result.CopyTo(dest);
        // Slide the window.
        (_prev, _cur, _next) = (cur, next, prev);
        _z++;
        if (_z + 1 < Info.Nz) _inner.ReadNext(_next); else _padSlice.CopyTo(_next, 0);
    }
}

/// <summary>Vectorised row operations on 0/1 bytes.</summary>
internal static class RowOps
{
    /// <summary>acc[x] = acc[x] AND/OR src[x + shift], with <paramref name="pad"/> outside the row.</summary>
    public static void Combine(Span<byte> acc, ReadOnlySpan<byte> src, int shift, bool and, byte pad)
    {
        int n = acc.Length;
        Span<byte> a;
        ReadOnlySpan<byte> s;
        if (shift == 0) { a = acc; s = src; }
        else if (shift > 0)
        {
            // acc[x] with src[x+1] for x < n−1; the last one meets the pad.
            a = acc[..(n - 1)]; s = src[1..];
            acc[n - 1] = and ? (byte)(acc[n - 1] & pad) : (byte)(acc[n - 1] | pad);
        }
        else
        {
            a = acc[1..]; s = src[..(n - 1)];
            acc[0] = and ? (byte)(acc[0] & pad) : (byte)(acc[0] | pad);
        }
        int i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<byte>.Count)
        {
            int w = Vector<byte>.Count;
            ref byte ra = ref MemoryMarshal.GetReference(a);
            ref byte rs = ref MemoryMarshal.GetReference(s);
            for (; i <= a.Length - w; i += w)
            {
                var va = Vector.LoadUnsafe(ref ra, (nuint)i);
                var vs = Vector.LoadUnsafe(ref rs, (nuint)i);
                (and ? Vector.BitwiseAnd(va, vs) : Vector.BitwiseOr(va, vs)).StoreUnsafe(ref ra, (nuint)i);
            }
        }
        if (and) for (; i < a.Length; i++) a[i] &= s[i];
        else for (; i < a.Length; i++) a[i] |= s[i];
    }
}

/// <summary>A mask stream computed slice by slice from another, with no look-ahead.</summary>
internal abstract class SliceFilterStream : IMaskStream
{
    private readonly IMaskStream _inner;
    private int _z;

    protected SliceFilterStream(IMaskStream inner)
    {
        _inner = inner;
        Info = inner.Info;
        Runs = new SliceRuns(Info.Nx, Info.Ny);
        Scratch = new byte[Info.SliceLength];
    }

    public VolumeInfo Info { get; }

    protected SliceRuns Runs { get; }

    protected byte[] Scratch { get; }

    public void Reset()
    {
        _inner.Reset();
        _z = 0;
    }

    public void ReadNext(Span<byte> dest)
    {
        _inner.ReadNext(dest);
        Filter(dest, _z++);
    }

    /// <summary>Rewrites slice <paramref name="z"/> in place.</summary>
    protected abstract void Filter(Span<byte> slice, int z);
}

/// <summary>Rewrites a mask from a component engine's decision per 2D component (fill or keep).</summary>
internal sealed class ComponentPaintStream : SliceFilterStream
{
    private readonly ComponentEngine _engine;
    private readonly byte[] _paint;
    private readonly bool _keepInput;

    public ComponentPaintStream(IMaskStream inner, ComponentEngine engine, byte[] paint, bool keepInput) : base(inner)
    {
        _engine = engine;
        _paint = paint;
        _keepInput = keepInput;
    }

    protected override void Filter(Span<byte> dest, int z)
    {
        var src = Scratch.AsSpan();
        dest.CopyTo(src);
        if (_engine.Inverted)
            for (int i = 0; i < src.Length; i++) src[i] ^= 1;
        Runs.Build(src, _engine.Connectivity.EightInPlane(), z);
        if (!_keepInput) dest.Clear();
        Runs.Paint<byte>(dest, _paint.AsSpan(_engine.Offset(z), _engine.Offset(z + 1) - _engine.Offset(z)));
    }
}

/// <summary>Fills, in each slice, the background regions that do not reach the slice's edges.</summary>
internal sealed class SliceHoleFillStream : SliceFilterStream
{
    private readonly bool _backgroundEight;
    private byte[] _paint = new byte[64];

    public SliceHoleFillStream(IMaskStream inner, bool backgroundEight) : base(inner) => _backgroundEight = backgroundEight;

    protected override void Filter(Span<byte> dest, int z)
    {
        var src = Scratch.AsSpan();
        for (int i = 0; i < src.Length; i++) src[i] = (byte)(dest[i] ^ 1);
        Runs.Build(src, _backgroundEight, z);
        int c = Runs.ComponentCount;
        if (_paint.Length < c) _paint = new byte[Math.Max(c, _paint.Length * 2)];
        var box = Runs.ComponentBox;
        int nx = Info.Nx, ny = Info.Ny;
        for (int k = 0; k < c; k++)
        {
            bool edge = box[k * 4] == 0 || box[k * 4 + 1] == nx - 1 || box[k * 4 + 2] == 0 || box[k * 4 + 3] == ny - 1;
            _paint[k] = edge ? (byte)0 : (byte)1;
        }
        Runs.Paint<byte>(dest, _paint.AsSpan(0, c));
    }
}
