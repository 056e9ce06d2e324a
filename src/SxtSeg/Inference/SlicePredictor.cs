using System.Diagnostics;

namespace SxtSeg.Inference;

/// <summary>
/// Predicts a whole 2D slice of any size with a tile predictor: tiles of at most
/// <see cref="TileOptions.TileSize"/> pixels a side laid out by <see cref="Tiling.Plan"/> (the fewest
/// that cover each axis with the requested overlap: with the default 512 / 64 a 1324-pixel axis is
/// three tiles of 480–496, 1,456 pixels, where full square tiles of 256 gave 1,536; a slice no larger
/// than a tile is one tile of its size rounded up to the predictor's size multiple; reflect padding
/// where a tile reaches past the slice), batched calls of
/// tiles of one shape, optional dihedral test-time augmentation (on square tiles of the full side, the
/// layout of <see cref="Tiling.Square"/>, which its rotations need), and blending of overlapping tiles
/// with a weighting window (Σw·p / Σw), so no seams appear. For a predictor that reads neighbouring
/// slices (<see cref="ITilePredictor.InputChannels"/> &gt; 1) the slice comes with them: the planes one
/// after another in z order, all cut and transformed alike.
/// Not thread-safe; reuses its buffers (and the layout of the last slice size) between slices.
/// </summary>
public sealed class SlicePredictor
{
    private readonly ITilePredictor _predictor;
    private readonly TileOptions _options;
    private readonly int _tile;
    private readonly float[] _batchIn;
    private readonly float[] _batchOut;
    private readonly float[] _scratch;
    private readonly int _channels;
    private readonly (int Y, int X, int K)[] _batchJobs;
    private Dictionary<(int H, int W), float[]> _windows = new();
    private float[] _weightSum = Array.Empty<float>();
    private (int Width, int Height) _layoutFor = (-1, -1);
    private (int Y, int X, int H, int W)[] _layout = Array.Empty<(int, int, int, int)>();
    private readonly Stopwatch _networkWatch = new();
    private static readonly int[][] AugmentationSets = { new[] { 0 }, new[] { 0, 4 }, new[] { 0, 1, 2, 3 }, new[] { 0, 1, 2, 3, 4, 5, 6, 7 } };

    /// <summary>Creates a predictor for slices.</summary>
    public SlicePredictor(ITilePredictor predictor, TileOptions options)
    {
        options.Validate(predictor.SizeMultiple);
        _predictor = predictor;
        _options = options;
        _tile = options.TileSize;
        _channels = Math.Max(1, predictor.InputChannels);
        _batchIn = new float[options.BatchSize * _channels * _tile * _tile];
        _batchOut = new float[options.BatchSize * _tile * _tile];
        _scratch = new float[_tile * _tile];
        _batchJobs = new (int, int, int)[options.BatchSize];
    }

    /// <summary>Planes per slice that <see cref="Predict"/> takes (the predictor's <see cref="ITilePredictor.InputChannels"/>).</summary>
    public int Channels => _channels;

    /// <summary>Time spent inside the tile predictor so far.</summary>
    public TimeSpan NetworkTime => _networkWatch.Elapsed;

    /// <summary>Tiles predicted so far (augmented variants counted separately).</summary>
    public long TilesPredicted { get; private set; }

    /// <summary>Pixels the tile predictor was given so far (tile area summed over tiles and augmented variants).</summary>
    public long PixelsPredicted { get; private set; }

    /// <summary>
    /// The tiles this predictor uses for a slice of <paramref name="width"/> × <paramref name="height"/>:
    /// the layout along y and along x (every combination is one tile).
    /// </summary>
    public (AxisTiles Y, AxisTiles X) LayoutOf(int width, int height)
    {
        int m = _predictor.SizeMultiple, o = _options.Overlap;
        return _options.Augmentations > 1 || _options.SquareTiles
            ? (Tiling.Square(height, _tile, o), Tiling.Square(width, _tile, o))
            : (Tiling.Plan(height, _tile, o, m), Tiling.Plan(width, _tile, o, m));
    }

    /// <summary>
    /// Predicts membrane probabilities for a normalised slice (<paramref name="height"/> rows of
    /// <paramref name="width"/>; with <see cref="Channels"/> planes, the neighbouring slices in z order,
    /// one after another) into <paramref name="probability"/> (one plane).
    /// </summary>
    public void Predict(ReadOnlySpan<float> slice, int width, int height, Span<float> probability)
    {
        if (slice.Length < _channels * width * height || probability.Length < width * height) throw new ArgumentException("slice buffers too small");
        var layout = Layout(width, height);
        int n = width * height;
        if (_weightSum.Length < n) _weightSum = new float[n];
        var wsum = _weightSum.AsSpan(0, n);
        wsum.Clear();
        probability[..n].Clear();
        int[] augs = AugmentationSets[_options.Augmentations switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 }];
        int filled = 0, bh = 0, bw = 0;
        foreach (var (y0, x0, th, tw) in layout)
        {
            // a batch holds tiles of one shape
            if (filled > 0 && (th != bh || tw != bw))
            {
                Flush(filled, bh, bw, width, height, probability, wsum);
                filled = 0;
            }
            (bh, bw) = (th, tw);
            foreach (int k in augs)
            {
                for (int ch = 0; ch < _channels; ch++)
                {
                    var dst = _batchIn.AsSpan((filled * _channels + ch) * th * tw, th * tw);
                    var plane = slice.Slice(ch * n, n);
                    Extract(plane, width, height, y0, x0, th, tw, k == 0 ? dst : _scratch);
                    if (k != 0) Dihedral.Apply(k, th, _scratch, dst); // th == tw: augmented layouts are square
                }
                _batchJobs[filled++] = (y0, x0, k);
                if (filled == _options.BatchSize)
                {
                    Flush(filled, th, tw, width, height, probability, wsum);
                    filled = 0;
                }
            }
        }
        if (filled > 0) Flush(filled, bh, bw, width, height, probability, wsum);
        for (int i = 0; i < n; i++) probability[i] /= wsum[i];
    }

    /// <summary>The tiles of a slice size, grouped by shape so that batches fill (cached for the last size).</summary>
    private (int Y, int X, int H, int W)[] Layout(int width, int height)
    {
        if (_layoutFor == (width, height)) return _layout;
        var (ly, lx) = LayoutOf(width, height);
        var tiles = new List<(int Y, int X, int H, int W)>(ly.Count * lx.Count);
        for (int i = 0; i < ly.Count; i++)
            for (int j = 0; j < lx.Count; j++)
                tiles.Add((ly.Starts[i], lx.Starts[j], ly.Sides[i], lx.Sides[j]));
        _layout = tiles.OrderBy(t => t.H).ThenBy(t => t.W).ToArray(); // OrderBy is stable
        // keep the windows of this layout's shapes only (the scale search tries many slice sizes)
        var keep = new Dictionary<(int H, int W), float[]>();
        foreach (var t in _layout)
            if (!keep.ContainsKey((t.H, t.W))) keep[(t.H, t.W)] = _windows.TryGetValue((t.H, t.W), out var w) ? w : Tiling.Window2D(t.H, t.W, _options.Blend);
        _windows = keep;
        _layoutFor = (width, height);
        return _layout;
    }

    private static void Extract(ReadOnlySpan<float> slice, int width, int height, int y0, int x0, int th, int tw, Span<float> tile)
    {
        for (int ty = 0; ty < th; ty++)
        {
            int sy = Tiling.Reflect(y0 + ty, height);
            var src = slice.Slice(sy * width, width);
            var row = tile.Slice(ty * tw, tw);
            if (x0 + tw <= width) src.Slice(x0, tw).CopyTo(row);
            else for (int tx = 0; tx < tw; tx++) row[tx] = src[Tiling.Reflect(x0 + tx, width)];
        }
    }

    private void Flush(int count, int th, int tw, int width, int height, Span<float> probability, Span<float> wsum)
    {
        int a = th * tw;
        var window = _windows[(th, tw)];
        _networkWatch.Start();
        _predictor.Predict(_batchIn.AsSpan(0, count * _channels * a), count, th, tw, _batchOut.AsSpan(0, count * a));
        _networkWatch.Stop();
        TilesPredicted += count;
        PixelsPredicted += (long)count * a;
        for (int b = 0; b < count; b++)
        {
            var (y0, x0, k) = _batchJobs[b];
            ReadOnlySpan<float> pred = _batchOut.AsSpan(b * a, a);
            if (k != 0)
            {
                Dihedral.Inverse(k, th, pred, _scratch);
                pred = _scratch;
            }
            int yEnd = Math.Min(th, height - y0), xEnd = Math.Min(tw, width - x0);
            for (int ty = 0; ty < yEnd; ty++)
            {
                int o = (y0 + ty) * width + x0;
                var p = probability.Slice(o, xEnd);
                var w = wsum.Slice(o, xEnd);
                var pr = pred.Slice(ty * tw, xEnd);
                var win = window.AsSpan(ty * tw, xEnd);
                for (int tx = 0; tx < xEnd; tx++)
                {
                    p[tx] += win[tx] * pr[tx];
                    w[tx] += win[tx];
                }
            }
        }
    }
}
