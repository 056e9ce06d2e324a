using System.Diagnostics;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>
/// Predicts membrane probabilities plane by plane over a tomogram into a <see cref="ProbabilityStore"/>,
/// streaming the input: x–y slices (the network's training orientation), and for multi-axis fusion
/// x–z and y–z planes read in blocks that fit a memory budget. Several workers (one tile predictor
/// each, e.g. one single-threaded network per core) predict planes in parallel while a reader
/// thread keeps them fed; results do not depend on the number of workers. A network that reads
/// neighbouring slices (context c) gets slices z − c … z + c with each x–y slice (mirrored at the
/// ends of the tomogram, as in training); it predicts x–y slices only.
/// </summary>
public sealed class TomogramPredictor
{
    private readonly SlicePredictor[] _workers;
    private readonly Action<Span<float>, int, int> _normalise;

    /// <summary>Creates a predictor with one worker per tile predictor; <paramref name="normalise"/> normalises one plane (values, width, height) in place as the model was trained.</summary>
    public TomogramPredictor(IReadOnlyList<ITilePredictor> predictors, TileOptions tiles, Action<Span<float>, int, int> normalise)
    {
        if (predictors.Count == 0) throw new ArgumentException("at least one predictor", nameof(predictors));
        _workers = predictors.Select(p => new SlicePredictor(p, tiles)).ToArray();
        _normalise = normalise;
        Channels = _workers[0].Channels;
        if (_workers.Any(w => w.Channels != Channels)) throw new ArgumentException("all predictors must read the same number of slices", nameof(predictors));
    }

    /// <summary>Slices per prediction: 1, or 2c + 1 for a network with context c.</summary>
    public int Channels { get; }

    /// <summary>Neighbouring slices read on each side of a predicted one.</summary>
    public int Context => (Channels - 1) / 2;

    /// <summary>Creates a single-worker predictor.</summary>
    public TomogramPredictor(ITilePredictor predictor, TileOptions tiles, Action<Span<float>, int, int> normalise)
        : this(new[] { predictor }, tiles, normalise) { }

    /// <summary>Time inside the network so far, summed over workers (all passes).</summary>
    public TimeSpan NetworkTime => TimeSpan.FromTicks(_workers.Sum(w => w.NetworkTime.Ticks));

    /// <summary>Pixels given to the network so far, summed over workers (tile areas: padding, overlaps and augmented copies included).</summary>
    public long NetworkPixels => _workers.Sum(w => w.PixelsPredicted);

    /// <summary>Number of parallel workers.</summary>
    public int Workers => _workers.Length;

    /// <summary>
    /// In-plane magnification applied before prediction (tomogram voxel size / model voxel size) and
    /// undone on the probabilities; 1 = none.
    /// </summary>
    public double Scale { get; init; } = 1;

    /// <summary>Normalises and predicts one plane (a network without context), resampling to the model's voxel size when <see cref="Scale"/> ≠ 1.</summary>
    private void PredictPlane(SlicePredictor worker, float[] plane, int width, int height, float[] prob)
        => PredictPrepared(worker, PreparePlaneInPlace(plane, width, height), width, height, prob);

    /// <summary>
    /// One slice resampled to the model's voxel size (when <see cref="Scale"/> ≠ 1) and normalised,
    /// into <paramref name="into"/> when it is given and of the right length, else into a new array.
    /// </summary>
    private float[] PreparePlane(float[] raw, int width, int height, float[]? into)
    {
        bool unit = Math.Abs(Scale - 1) < 1e-6;
        int w2 = unit ? width : PlaneResampler.Scaled(width, Scale), h2 = unit ? height : PlaneResampler.Scaled(height, Scale);
        var plane = into is not null && into.Length == w2 * h2 ? into : new float[w2 * h2];
        if (unit) raw.AsSpan().CopyTo(plane);
        else PlaneResampler.Bilinear(raw, width, height, plane, w2, h2);
        _normalise(plane, w2, h2);
        return plane;
    }

    /// <summary>A slice normalised in place at scale 1, or resampled and normalised into a new array.</summary>
    private float[] PreparePlaneInPlace(float[] raw, int width, int height)
    {
        if (Math.Abs(Scale - 1) >= 1e-6) return PreparePlane(raw, width, height, null);
        _normalise(raw, width, height);
        return raw;
    }

    /// <summary>Predicts a stack of prepared planes (<see cref="PreparePlane"/>) of a slice of <paramref name="width"/> × <paramref name="height"/>.</summary>
    private void PredictPrepared(SlicePredictor worker, float[] stack, int width, int height, float[] prob)
    {
        if (Math.Abs(Scale - 1) < 1e-6)
        {
            worker.Predict(stack, width, height, prob);
            return;
        }
        int w2 = PlaneResampler.Scaled(width, Scale), h2 = PlaneResampler.Scaled(height, Scale);
        var bigProb = new float[w2 * h2];
        worker.Predict(stack, w2, h2, bigProb);
        PlaneResampler.Bilinear(bigProb, w2, h2, prob, width, height);
    }

    /// <summary>
    /// Predicts x–y slices [z0, z1) into axis <paramref name="axis"/> of the store, slice z into the
    /// store's slice z − <paramref name="storeFirst"/> (a store of a sub-volume; a model that reads
    /// neighbouring slices still reads them from the whole tomogram). The optional
    /// <paramref name="onSlice"/> sees each raw slice in z order on the reader thread (before
    /// normalisation), e.g. to build a cell mask.
    /// </summary>
    public PassTiming PredictXy(IVolumeReader tomogram, int z0, int z1, ProbabilityStore store, int axis,
        Action<int, float[]>? onSlice = null, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default, int storeFirst = 0)
    {
        if (z0 < 0 || z1 > tomogram.Info.Nz || z0 >= z1) throw new ArgumentOutOfRangeException(nameof(z0), $"slices {z0}..{z1 - 1} outside 0..{tomogram.Info.Nz - 1}");
        if (z0 - storeFirst < 0 || z1 - storeFirst > store.Nz) throw new ArgumentOutOfRangeException(nameof(storeFirst), $"slices {z0}..{z1 - 1} do not fit a store of {store.Nz} slices from slice {storeFirst}");
        var info = tomogram.Info;
        int nx = info.Nx, ny = info.Ny, n = nx * ny;
        var sw = Stopwatch.StartNew();
        var net0 = NetworkTime;
        long px0 = NetworkPixels;
        using var queue = new System.Collections.Concurrent.BlockingCollection<(int Z, float[] Slice)>(boundedCapacity: _workers.Length + 1);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        int ctx = Context, nz = info.Nz;
        // What goes through the queue (a raw slice, or a stack of 2c + 1 prepared slices) comes from
        // a fixed set of buffers that the workers hand back: one per worker, one queued, one being
        // filled. Without it every slice allocated a new large array (7 × 6.8 MB for a context-3
        // model on a 1324 × 1284 slice) and the peak memory held whatever the GC had not yet freed.
        using var returned = new System.Collections.Concurrent.BlockingCollection<float[]>();
        int poolSize = _workers.Length + 2, allocated = 0;
        float[] Rent(int length)
        {
            if (returned.TryTake(out var a)) return a;
            if (allocated < poolSize) { allocated++; return new float[length]; }
            return returned.Take(linked.Token);
        }
        var reader = Task.Run(() =>
        {
            try
            {
                // Slices by z (as read, and resampled and normalised once: each is in 2c + 1 stacks),
                // kept while a later stack still needs them; their arrays are reused once dropped.
                var window = new Dictionary<int, (float[] Raw, float[] Prepared)>();
                var spareRaw = new Stack<float[]>();
                var sparePrepared = new Stack<float[]>();
                (float[] Raw, float[] Prepared) Slice(int z)
                {
                    if (!window.TryGetValue(z, out var s))
                    {
                        var raw = spareRaw.Count > 0 ? spareRaw.Pop() : new float[n];
                        tomogram.ReadSlice<float>(z, raw);
                        CheckFinite(raw, tomogram.Path, z);
                        s = (raw, PreparePlane(raw, nx, ny, sparePrepared.Count > 0 ? sparePrepared.Pop() : null));
                        window[z] = s;
                    }
                    return s;
                }
                for (int z = z0; z < z1; z++)
                {
                    float[] item;
                    if (ctx > 0)
                    {
                        onSlice?.Invoke(z, Slice(z).Raw);
                        // Slices z − c … z + c, mirrored at the ends, already resampled and normalised.
                        int m = Slice(z).Prepared.Length;
                        item = Rent(Channels * m);
                        for (int p = 0; p < Channels; p++) Slice(SliceStack.SliceOf(z, p, ctx, nz)).Prepared.CopyTo(item, p * m);
                        // Slice z + 1 needs z + 1 − c … (mirrored at the start to indices ≥ 0, at the end to indices ≥ z + 1 − c).
                        foreach (int old in window.Keys.Where(k => k < z + 1 - ctx).ToList())
                        {
                            window.Remove(old, out var dropped);
                            spareRaw.Push(dropped.Raw);
                            sparePrepared.Push(dropped.Prepared);
                        }
                    }
                    else
                    {
                        item = Rent(n);
                        tomogram.ReadSlice<float>(z, item);
                        CheckFinite(item, tomogram.Path, z);
                        onSlice?.Invoke(z, item);
                    }
                    queue.Add((z, item), linked.Token);
                }
            }
            finally { queue.CompleteAdding(); }
        }, linked.Token);
        int done = 0;
        var workers = new Task[_workers.Length];
        for (int w = 0; w < _workers.Length; w++)
        {
            var worker = _workers[w];
            workers[w] = Task.Run(() =>
            {
                var prob = new float[n];
                var q = new byte[n];
                foreach (var (z, slice) in queue.GetConsumingEnumerable(linked.Token))
                {
                    if (ctx > 0) PredictPrepared(worker, slice, nx, ny, prob);
                    else PredictPlane(worker, slice, nx, ny, prob);
                    returned.Add(slice);
                    ProbabilityStore.Quantise(prob, q);
                    store.WriteRows(axis, z - storeFirst, 0, ny, q);
                    progress.Report("segmenting x–y slices", Interlocked.Increment(ref done), z1 - z0, "slices");
                }
            }, linked.Token);
        }
        WaitAll(reader, workers, linked);
        return new PassTiming(sw.Elapsed, NetworkTime - net0, z1 - z0, (long)(z1 - z0) * n, NetworkPixels - px0);
    }

    /// <summary>Waits for reader and workers; on the first failure cancels the rest and rethrows it unwrapped.</summary>
    private static void WaitAll(Task reader, Task[] workers, CancellationTokenSource linked)
    {
        var all = workers.Append(reader).ToArray();
        // The first failure cancels the others (a reader blocked on a full queue, or workers waiting for slices).
        foreach (var t in all) t.ContinueWith(_ => linked.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            Task.WaitAll(all);
        }
        catch (AggregateException e)
        {
            var first = e.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.Flatten().InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    /// <summary>Predicts planes [0, count) in parallel: <paramref name="load"/> fills a plane, <paramref name="store"/> takes its probabilities.</summary>
    private void PredictPlanes(int count, int width, int height, Action<int, float[]> load, Action<int, float[]> store, CancellationToken cancel)
    {
        int next = -1;
        var tasks = _workers.Select(worker => Task.Run(() =>
        {
            var plane = new float[width * height];
            var prob = new float[width * height];
            for (int i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                cancel.ThrowIfCancellationRequested();
                load(i, plane);
                PredictPlane(worker, plane, width, height, prob);
                store(i, prob);
            }
        }, cancel)).ToArray();
        try { Task.WaitAll(tasks); }
        catch (AggregateException e) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw(); }
    }

    /// <summary>Predicts x–z planes (one per y) into axis <paramref name="axis"/>, reading blocks of rows within <paramref name="blockBytes"/>.</summary>
    public PassTiming PredictXz(IVolumeReader tomogram, ProbabilityStore store, int axis, long blockBytes, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        RequireSingleSlice();
        var info = tomogram.Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz;
        int rowsPerBlock = (int)Math.Clamp(blockBytes / (4L * nx * nz), 1, ny);
        var sw = Stopwatch.StartNew();
        var net0 = NetworkTime;
        long px0 = NetworkPixels;
        var slice = new float[(long)nx * ny];
        var block = new float[(long)rowsPerBlock * nx * nz];   // [y][z][x]
        var outBlock = new byte[(long)rowsPerBlock * nx * nz]; // [z][y][x] for contiguous writes
        int done = 0;
        for (int y0 = 0; y0 < ny; y0 += rowsPerBlock)
        {
            int rows = Math.Min(rowsPerBlock, ny - y0);
            for (int z = 0; z < nz; z++)
            {
                cancel.ThrowIfCancellationRequested();
                tomogram.ReadSlice<float>(z, slice);
                CheckFinite(slice, tomogram.Path, z);
                for (int r = 0; r < rows; r++)
                    slice.AsSpan((y0 + r) * nx, nx).CopyTo(block.AsSpan((int)(((long)r * nz + z) * nx), nx));
            }
            PredictPlanes(rows, nx, nz,
                (r, plane) => block.AsSpan((int)((long)r * nz * nx), nz * nx).CopyTo(plane),
                (r, prob) =>
                {
                    for (int z = 0; z < nz; z++)
                        ProbabilityStore.Quantise(prob.AsSpan(z * nx, nx), outBlock.AsSpan((int)(((long)z * rows + r) * nx), nx));
                    progress.Report("segmenting x–z planes", Interlocked.Increment(ref done), ny, "planes");
                }, cancel);
            for (int z = 0; z < nz; z++)
                store.WriteRows(axis, z, y0, rows, outBlock.AsSpan((int)((long)z * rows * nx), rows * nx));
        }
        return new PassTiming(sw.Elapsed, NetworkTime - net0, ny, (long)ny * nx * nz, NetworkPixels - px0);
    }

    /// <summary>Predicts y–z planes (one per x) into axis <paramref name="axis"/>, reading blocks of columns within <paramref name="blockBytes"/>.</summary>
    public PassTiming PredictYz(IVolumeReader tomogram, ProbabilityStore store, int axis, long blockBytes, IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        RequireSingleSlice();
        var info = tomogram.Info;
        int nx = info.Nx, ny = info.Ny, nz = info.Nz;
        int colsPerBlock = (int)Math.Clamp(blockBytes / (4L * ny * nz), 1, nx);
        var sw = Stopwatch.StartNew();
        var net0 = NetworkTime;
        long px0 = NetworkPixels;
        var slice = new float[(long)nx * ny];
        var block = new float[(long)colsPerBlock * ny * nz];   // [x][z][y]
        var outBlock = new byte[(long)colsPerBlock * ny * nz]; // [x][z][y]
        var storeSlice = new byte[(long)nx * ny];
        int done = 0;
        for (int x0 = 0; x0 < nx; x0 += colsPerBlock)
        {
            int cols = Math.Min(colsPerBlock, nx - x0);
            for (int z = 0; z < nz; z++)
            {
                cancel.ThrowIfCancellationRequested();
                tomogram.ReadSlice<float>(z, slice);
                CheckFinite(slice, tomogram.Path, z);
                for (int c = 0; c < cols; c++)
                {
                    long o = ((long)c * nz + z) * ny;
                    for (int y = 0; y < ny; y++) block[o + y] = slice[(long)y * nx + x0 + c];
                }
            }
            PredictPlanes(cols, ny, nz,
                (c, plane) => block.AsSpan((int)((long)c * nz * ny), nz * ny).CopyTo(plane),
                (c, prob) =>
                {
                    ProbabilityStore.Quantise(prob, outBlock.AsSpan((int)((long)c * nz * ny), nz * ny));
                    progress.Report("segmenting y–z planes", Interlocked.Increment(ref done), nx, "planes");
                }, cancel);
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
        return new PassTiming(sw.Elapsed, NetworkTime - net0, nx, (long)nx * ny * nz, NetworkPixels - px0);
    }

    /// <summary>x–z and y–z planes are predicted by 2D networks only.</summary>
    private void RequireSingleSlice()
    {
        if (Channels != 1)
            throw new InvalidOptionException(nameof(SegmentOptions.FuseAxes), "this model reads neighbouring x–y slices (context); multi-axis fusion needs a model that reads one slice");
    }

    private static void CheckFinite(float[] slice, string path, int z)
    {
        foreach (float v in slice)
            if (!float.IsFinite(v))
                throw new InvalidInputException(path, $"slice {z} contains NaN or infinite values; repair the tomogram (e.g. replace them with the mean) before segmenting");
    }
}
