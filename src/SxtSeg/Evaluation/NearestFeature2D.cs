namespace SxtSeg.Evaluation;

/// <summary>
/// The exact Euclidean nearest-feature map of a 2-D slice: for every pixel, the value of the nearest
/// non-zero pixel (row-major, <c>nx</c> × <c>ny</c>). Two separable passes (Felzenszwalb and Huttenlocher's
/// lower envelope of parabolas, carrying the feature's position): along each row the nearest feature
/// column, then along each column the row whose (row distance² + that row's column distance²) is least.
/// Ties go to whichever the envelope keeps (deterministic). O(nx·ny); holds a few rows of scratch.
/// </summary>
internal sealed class NearestFeature2D
{
    private readonly int _nx, _ny;
    private readonly int[] _column;          // per pixel: the nearest feature's column in its row, −1 if the row has none
    private readonly long[] _f;              // per row of one column: squared row distance to its feature, or "none"
    private readonly int[] _v;               // envelope: the rows whose parabolas form it
    private readonly double[] _zs;           // envelope: boundaries between parabolas

    private const long None = long.MaxValue;

    /// <summary>Scratch for slices of <paramref name="nx"/> × <paramref name="ny"/>.</summary>
    public NearestFeature2D(int nx, int ny)
    {
        _nx = nx;
        _ny = ny;
        _column = new int[nx * ny];
        _f = new long[ny];
        _v = new int[ny];
        _zs = new double[ny + 1];
    }

    /// <summary>
    /// Fills <paramref name="nearest"/> with the value of the nearest non-zero pixel of <paramref name="features"/>
    /// for every pixel; all zero when there is none.
    /// </summary>
    public void Compute(ReadOnlySpan<uint> features, Span<uint> nearest)
    {
        int nx = _nx, ny = _ny;
        // Rows: the nearest feature column, from the left and from the right.
        for (int y = 0; y < ny; y++)
        {
            int row = y * nx, last = -1;
            for (int x = 0; x < nx; x++)
            {
                if (features[row + x] != 0) last = x;
                _column[row + x] = last;
            }
            last = -1;
            for (int x = nx - 1; x >= 0; x--)
            {
                if (features[row + x] != 0) last = x;
                int left = _column[row + x];
                if (last >= 0 && (left < 0 || last - x < x - left)) _column[row + x] = last;
            }
        }
        // Columns: lower envelope of parabolas (y − q)² + f(q) over the rows q that have a feature.
        for (int x = 0; x < nx; x++)
        {
            int k = -1;
            for (int q = 0; q < ny; q++)
            {
                int c = _column[q * nx + x];
                if (c < 0) { _f[q] = None; continue; }
                long d = x - c;
                _f[q] = d * d;
                if (k < 0)
                {
                    k = 0;
                    _v[0] = q;
                    _zs[0] = double.NegativeInfinity;
                    _zs[1] = double.PositiveInfinity;
                    continue;
                }
                // Drop the parabolas the new one hides (the first, with boundary −∞, always stays).
                int p0 = _v[k];
                double s = ((_f[q] + (long)q * q) - (_f[p0] + (long)p0 * p0)) / (2.0 * (q - p0));
                while (s <= _zs[k])
                {
                    k--;
                    int p = _v[k];
                    s = ((_f[q] + (long)q * q) - (_f[p] + (long)p * p)) / (2.0 * (q - p));
                }
                k++;
                _v[k] = q;
                _zs[k] = s;
                _zs[k + 1] = double.PositiveInfinity;
            }
            if (k < 0)
            {
                for (int y = 0; y < ny; y++) nearest[y * nx + x] = 0;
                continue;
            }
            int j = 0;
            for (int y = 0; y < ny; y++)
            {
                while (_zs[j + 1] < y) j++;
                int q = _v[j];
                nearest[y * nx + x] = features[q * nx + _column[q * nx + x]];
            }
        }
    }
}
