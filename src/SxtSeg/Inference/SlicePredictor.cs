using System.Diagnostics;

namespace SxtSeg.Inference;

/// <summary>
/// Predicts a whole 2D slice of any size with a tile predictor: square tiles with overlap
/// (reflect-padding slices smaller than a tile), batched calls, optional dihedral test-time
/// augmentation, and blending of overlapping tiles with a weighting window (Σw·p / Σw), so no seams
/// appear. For a predictor that reads neighbouring slices (<see cref="ITilePredictor.InputChannels"/> &gt; 1)
/// the slice comes with them: the planes one after another in z order, all cut and transformed alike.
/// Not thread-safe; reuses its buffers between slices.
/// </summary>
public sealed class SlicePredictor
{
    private readonly ITilePredictor _predictor;
    private readonly TileOptions _options;
    private readonly float[] _window;
    private readonly int _tile;
    private readonly float[] _batchIn;
    private readonly float[] _batchOut;
    private readonly float[] _scratch;
    private readonly int _channels;
    private readonly (int Y, int X, int K)[] _batchJobs;
    private float[] _weightSum = Array.Empty<float>();
    private readonly Stopwatch _networkWatch = new();
    private static readonly int[][] AugmentationSets = { new[] { 0 }, new[] { 0, 4 }, new[] { 0, 1, 2, 3 }, new[] { 0, 1, 2, 3, 4, 5, 6, 7 } };

    /// <summary>Creates a predictor for slices.</summary>
    public SlicePredictor(ITilePredictor predictor, TileOptions options)
    {
        options.Validate(predictor.SizeMultiple);
        _predictor = predictor;
        _options = options;
        _tile = options.TileSize;
        _window = Tiling.Window2D(_tile, _tile, options.Blend);
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

    /// <summary>
    /// Predicts membrane probabilities for a normalised slice (<paramref name="height"/> rows of
    /// <paramref name="width"/>; with <see cref="Channels"/> planes, the neighbouring slices in z order,
    /// one after another) into <paramref name="probability"/> (one plane).
    /// </summary>
    public void Predict(ReadOnlySpan<float> slice, int width, int height, Span<float> probability)
    {
        if (slice.Length < _channels * width * height || probability.Length < width * height) throw new ArgumentException("slice buffers too small");
        int t = _tile;
        // Tiles never exceed the (padded) image: a slice smaller than a tile is reflect-padded to it.
        int ph = Math.Max(height, t), pw = Math.Max(width, t);
        int[] ys = Tiling.Starts(ph, t, _options.Overlap), xs = Tiling.Starts(pw, t, _options.Overlap);
        int n = width * height;
        if (_weightSum.Length < n) _weightSum = new float[n];
        var wsum = _weightSum.AsSpan(0, n);
        wsum.Clear();
        probability[..n].Clear();
        int[] augs = AugmentationSets[_options.Augmentations switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 }];
        int filled = 0;
        foreach (int y0 in ys)
        {
            foreach (int x0 in xs)
            {
                foreach (int k in augs)
                {
                    for (int ch = 0; ch < _channels; ch++)
                    {
                        var dst = _batchIn.AsSpan((filled * _channels + ch) * t * t, t * t);
                        var plane = slice.Slice(ch * n, n);
                        Extract(plane, width, height, y0, x0, k == 0 ? dst : _scratch);
                        if (k != 0) Dihedral.Apply(k, t, _scratch, dst);
                    }
                    _batchJobs[filled++] = (y0, x0, k);
                    if (filled == _options.BatchSize)
                    {
                        Flush(filled, width, height, probability, wsum);
                        filled = 0;
                    }
                }
            }
        }
        if (filled > 0) Flush(filled, width, height, probability, wsum);
        for (int i = 0; i < n; i++) probability[i] /= wsum[i];
    }

    private void Extract(ReadOnlySpan<float> slice, int width, int height, int y0, int x0, Span<float> tile)
    {
        int t = _tile;
        for (int ty = 0; ty < t; ty++)
        {
            int sy = Tiling.Reflect(y0 + ty, height);
            var src = slice.Slice(sy * width, width);
            var row = tile.Slice(ty * t, t);
            if (x0 + t <= width) src.Slice(x0, t).CopyTo(row);
            else for (int tx = 0; tx < t; tx++) row[tx] = src[Tiling.Reflect(x0 + tx, width)];
        }
    }

    private void Flush(int count, int width, int height, Span<float> probability, Span<float> wsum)
    {
        int t = _tile;
        _networkWatch.Start();
        _predictor.Predict(_batchIn.AsSpan(0, count * _channels * t * t), count, t, t, _batchOut.AsSpan(0, count * t * t));
        _networkWatch.Stop();
        TilesPredicted += count;
        for (int b = 0; b < count; b++)
        {
            var (y0, x0, k) = _batchJobs[b];
            ReadOnlySpan<float> pred = _batchOut.AsSpan(b * t * t, t * t);
            if (k != 0)
            {
                Dihedral.Inverse(k, t, pred, _scratch);
                pred = _scratch;
            }
            int yEnd = Math.Min(t, height - y0), xEnd = Math.Min(t, width - x0);
            for (int ty = 0; ty < yEnd; ty++)
            {
                int o = (y0 + ty) * width + x0;
                var p = probability.Slice(o, xEnd);
                var w = wsum.Slice(o, xEnd);
                var pr = pred.Slice(ty * t, xEnd);
                var win = _window.AsSpan(ty * t, xEnd);
                for (int tx = 0; tx < xEnd; tx++)
                {
                    p[tx] += win[tx] * pr[tx];
                    w[tx] += win[tx];
                }
            }
        }
    }
}
