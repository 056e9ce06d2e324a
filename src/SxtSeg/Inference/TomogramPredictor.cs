using System.Diagnostics;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>Time spent in one prediction pass.</summary>
/// <param name="Total">Wall time of the pass.</param>
/// <param name="Network">Time inside the tile predictor.</param>
/// <param name="Planes">Planes predicted.</param>
/// <param name="Pixels">Pixels predicted (without augmentation copies).</param>
public readonly record struct PassTiming(TimeSpan Total, TimeSpan Network, long Planes, long Pixels)
{
    /// <summary>Sum of two timings.</summary>
    public static PassTiming operator +(PassTiming a, PassTiming b) => new(a.Total + b.Total, a.Network + b.Network, a.Planes + b.Planes, a.Pixels + b.Pixels);
}

/// <summary>
/// Predicts membrane probabilities plane by plane over a tomogram into a <see cref="ProbabilityStore"/>,
/// streaming the input: x–y slices (the network's training orientation), and for multi-axis fusion
/// x–z and y–z planes read in blocks that fit a memory budget. Reading the next slice overlaps
/// with predicting the current one.
/// </summary>
public sealed class TomogramPredictor
{
    private readonly SlicePredictor _slices;
    private readonly Action<Span<float>, int, int> _normalise;

    /// <summary>Creates a predictor; <paramref name="normalise"/> normalises one plane (values, width, height) in place as the model was trained.</summary>
    public TomogramPredictor(ITilePredictor predictor, TileOptions tiles, Action<Span<float>, int, int> normalise)
    {
        _slices = new SlicePredictor(predictor, tiles);
        _normalise = normalise;
    }

    /// <summary>Time inside the network so far (all passes).</summary>
    public TimeSpan NetworkTime => _slices.NetworkTime;

    /// <summary>
    /// Predicts x–y slices [z0, z1) into axis <paramref name="axis"/> of the store. The optional
    /// <paramref name="onSlice"/> sees each raw slice (before normalisation), e.g. to build a cell mask.
    /// </summary>
    public PassTiming PredictXy(IVolumeReader tomogram, int z0, int z1, ProbabilityStore store, int axis,
        Action<int, float[]>? onSlice = null, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        var info = tomogram.Info;
        int nx = info.Nx, ny = info.Ny, n = nx * ny;
        var sw = Stopwatch.StartNew();
        var net0 = _slices.NetworkTime;
        var prob = new float[n];
        var q = new byte[n];
        float[] current = tomogram.ReadSlice<float>(z0);
        for (int z = z0; z < z1; z++)
        {
            cancel.ThrowIfCancellationRequested();
            int next = z + 1;
            // Read ahead on another thread while this slice is predicted.
            Task<float[]>? ahead = next < z1 ? Task.Run(() => tomogram.ReadSlice<float>(next), cancel) : null;
            CheckFinite(current, tomogram.Path, z);
            onSlice?.Invoke(z, current);
            _normalise(current, nx, ny);
            _slices.Predict(current, nx, ny, prob);
            ProbabilityStore.Quantise(prob, q);
            store.WriteRows(axis, z, 0, ny, q);
            progress.Report("segmenting x–y slices", z - z0 + 1, z1 - z0, "slices");
            if (ahead is not null) current = ahead.GetAwaiter().GetResult();
        }
        return new PassTiming(sw.Elapsed, _slices.NetworkTime - net0, z1 - z0, (long)(z1 - z0) * n);
    }

    /// <summary>Predicts x–z planes (one per y) into axis <paramref name="axis"/>, reading blocks of rows within <paramref name="blockBytes"/>.</summary>
    public PassTiming PredictXz(IVolumeReader tomogram, ProbabilityStore store, int axis, long blockBytes, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        var info = tomogram.Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz;
        int rowsPerBlock = (int)Math.Clamp(blockBytes / (4L * nx * nz), 1, ny);
        var sw = Stopwatch.StartNew();
        var net0 = _slices.NetworkTime;
        var slice = new float[(long)nx * ny];
        var block = new float[(long)rowsPerBlock * nx * nz];   // [y][z][x]
        var plane = new float[nx * nz];
        var prob = new float[nx * nz];
        var outBlock = new byte[(long)rowsPerBlock * nx * nz]; // [z][y][x] for contiguous writes
        for (int y0 = 0; y0 < ny; y0 += rowsPerBlock)
        {
            int rows = Math.Min(rowsPerBlock, ny - y0);
            for (int z = 0; z < nz; z++)
            {
                cancel.ThrowIfCancellationRequested();
                tomogram.ReadSlice<float>(z, slice);
                for (int r = 0; r < rows; r++)
                    slice.AsSpan((y0 + r) * nx, nx).CopyTo(block.AsSpan((int)(((long)r * nz + z) * nx), nx));
            }
            for (int r = 0; r < rows; r++)
            {
                block.AsSpan((int)((long)r * nz * nx), nz * nx).CopyTo(plane);
                _normalise(plane, nx, nz);
                _slices.Predict(plane, nx, nz, prob);
                for (int z = 0; z < nz; z++)
                    ProbabilityStore.Quantise(prob.AsSpan(z * nx, nx), outBlock.AsSpan((int)(((long)z * rows + r) * nx), nx));
                progress.Report("segmenting x–z planes", y0 + r + 1, ny, "planes");
            }
            for (int z = 0; z < nz; z++)
                store.WriteRows(axis, z, y0, rows, outBlock.AsSpan((int)((long)z * rows * nx), rows * nx));
        }
        return new PassTiming(sw.Elapsed, _slices.NetworkTime - net0, ny, (long)ny * nx * nz);
    }

    /// <summary>Predicts y–z planes (one per x) into axis <paramref name="axis"/>, reading blocks of columns within <paramref name="blockBytes"/>.</summary>
    public PassTiming PredictYz(IVolumeReader tomogram, ProbabilityStore store, int axis, long blockBytes, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        var info = tomogram.Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz;
        int colsPerBlock = (int)Math.Clamp(blockBytes / (4L * ny * nz), 1, nx);
        var sw = Stopwatch.StartNew();
        var net0 = _slices.NetworkTime;
        var slice = new float[(long)nx * ny];
        var block = new float[(long)colsPerBlock * ny * nz];   // [x][z][y]
        var plane = new float[ny * nz];
        var prob = new float[ny * nz];
        var outBlock = new byte[(long)colsPerBlock * ny * nz]; // [x][z][y]
        var storeSlice = new byte[(long)nx * ny];
        for (int x0 = 0; x0 < nx; x0 += colsPerBlock)
        {
            int cols = Math.Min(colsPerBlock, nx - x0);
            for (int z = 0; z < nz; z++)
            {
                cancel.ThrowIfCancellationRequested();
                tomogram.ReadSlice<float>(z, slice);
                for (int c = 0; c < cols; c++)
                {
                    long o = ((long)c * nz + z) * ny;
                    for (int y = 0; y < ny; y++) block[o + y] = slice[(long)y * nx + x0 + c];
                }
            }
            for (int c = 0; c < cols; c++)
            {
                block.AsSpan((int)((long)c * nz * ny), nz * ny).CopyTo(plane);
                _normalise(plane, ny, nz);
                _slices.Predict(plane, ny, nz, prob);
                ProbabilityStore.Quantise(prob, outBlock.AsSpan((int)((long)c * nz * ny), nz * ny));
                progress.Report("segmenting y–z planes", x0 + c + 1, nx, "planes");
            }
            // Patch the block's columns into each z slice of the store.
            for (int z = 0; z < nz; z++)
            {
                store.ReadRows(axis, z, 0, ny, storeSlice);
                for (int c = 0; c < cols; c++)
                {
                    long o = ((long)c * nz + z) * ny;
                    for (int y = 0; y < ny; y++) storeSlice[(long)y * nx + x0 + c] = outBlock[o + y];
                }
                store.WriteRows(axis, z, 0, ny, storeSlice);
            }
        }
        return new PassTiming(sw.Elapsed, _slices.NetworkTime - net0, nx, (long)nx * ny * nz);
    }

    private static void CheckFinite(float[] slice, string path, int z)
    {
        foreach (float v in slice)
            if (!float.IsFinite(v))
                throw new InvalidInputException(path, $"slice {z} contains NaN or infinite values; repair the tomogram (e.g. replace them with the mean) before segmenting");
    }
}
