using System.Globalization;
using SxtSeg.Inference;
using SxtSeg.Morphology;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// The cell body of a tomogram from a small network trained to label the inside of cells (the
/// simulator's classes 3–10) on binned x–y slices: a cell mask is coarse, so the slices are binned to
/// about <see cref="DefaultPixelNm"/> nm (area mean), the network labels each binned slice, the
/// probabilities are thresholded, 3D components much smaller than the largest are dropped and holes
/// are filled in each slice; the result is upsampled bilinearly (the cleaned mask clamps the
/// probabilities, so the upsampled edge follows the network's and no hole reopens) and thresholded
/// again at the tomogram's size. Also the binning of simulations into training folders.
/// </summary>
public static class CellBody
{
    /// <summary>Default binned pixel size (nm): 4 × 4 binning at 9.8 nm.</summary>
    public const double DefaultPixelNm = 40;

    /// <summary>First and last class id of the simulator's cell body (cytoplasm to lipid droplets; not filopodia or gold).</summary>
    public const byte FirstBodyClass = 3, LastBodyClass = 10;

    /// <summary>File name of the shipped body model (in <c>models/</c>, found like the default membrane model).</summary>
    public const string DefaultModelFileName = "sxtseg-body.sxtmodel";

    /// <summary>
    /// The shipped body model's path, or null: <c>models/</c><see cref="DefaultModelFileName"/> (or the file itself) next to
    /// <paramref name="executableFolder"/>, then in <c>models/</c> of its ancestors, then of <paramref name="currentFolder"/> and its ancestors.
    /// </summary>
    public static string? FindDefaultModel(string? executableFolder = null, string? currentFolder = null)
        => DefaultModel.FindShipped(DefaultModelFileName, executableFolder, currentFolder);

    /// <summary>Bin factor for a voxel of <paramref name="voxelNm"/> nm and a binned pixel of <paramref name="pixelNm"/> nm: round(pixel / voxel), at least 1.</summary>
    public static int BinFactor(double voxelNm, double pixelNm) => Math.Max(1, (int)Math.Round(pixelNm / voxelNm, MidpointRounding.AwayFromZero));

    /// <summary>Binned length of <paramref name="n"/> pixels (the last block may be partial).</summary>
    public static int BinnedSize(int n, int factor) => (n + factor - 1) / factor;

    /// <summary>
    /// Area mean of <paramref name="factor"/>² blocks of a plane (<paramref name="w"/> × <paramref name="h"/>) into
    /// <paramref name="dst"/> (<see cref="BinnedSize"/>² layout); a partial block at the right or bottom edge is the mean of its own pixels.
    /// </summary>
    public static void Bin(ReadOnlySpan<float> src, int w, int h, int factor, Span<float> dst)
    {
        int bw = BinnedSize(w, factor), bh = BinnedSize(h, factor);
        if (src.Length < w * h || dst.Length < bw * bh) throw new ArgumentException("plane buffers too small");
        for (int by = 0; by < bh; by++)
        {
            int y0 = by * factor, y1 = Math.Min(h, y0 + factor);
            for (int bx = 0; bx < bw; bx++)
            {
                int x0 = bx * factor, x1 = Math.Min(w, x0 + factor);
                double sum = 0;
                for (int y = y0; y < y1; y++)
                {
                    var row = src.Slice(y * w + x0, x1 - x0);
                    for (int x = 0; x < row.Length; x++) sum += row[x];
                }
                dst[by * bw + bx] = (float)(sum / ((y1 - y0) * (x1 - x0)));
            }
        }
    }

    /// <summary>
    /// Bilinear upsampling of a binned plane back to <paramref name="w"/> × <paramref name="h"/>: binned pixel j's centre
    /// is at full-size pixel j·f + (f − 1)/2; beyond the outermost centres the edge value is kept.
    /// </summary>
    public static void Upsample(ReadOnlySpan<float> binned, int factor, Span<float> dst, int w, int h)
    {
        int bw = BinnedSize(w, factor), bh = BinnedSize(h, factor);
        if (binned.Length < bw * bh || dst.Length < w * h) throw new ArgumentException("plane buffers too small");
        for (int y = 0; y < h; y++)
        {
            double fy = Math.Clamp((y + 0.5) / factor - 0.5, 0, bh - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, bh - 1);
            float ty = (float)(fy - y0);
            for (int x = 0; x < w; x++)
            {
                double fx = Math.Clamp((x + 0.5) / factor - 0.5, 0, bw - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, bw - 1);
                float tx = (float)(fx - x0);
                float a = binned[y0 * bw + x0] + (binned[y0 * bw + x1] - binned[y0 * bw + x0]) * tx;
                float b = binned[y1 * bw + x0] + (binned[y1 * bw + x1] - binned[y1 * bw + x0]) * tx;
                dst[y * w + x] = a + (b - a) * ty;
            }
        }
    }

    /// <summary>
    /// Fills the holes of a 2D mask in place: background pixels (0) that no 4-connected path of background
    /// reaches from the plane's border become 1. <paramref name="stack"/> needs <paramref name="w"/>·<paramref name="h"/> entries.
    /// </summary>
    public static void FillHoles(Span<byte> mask, int w, int h, int[] stack)
    {
        int n = w * h;
        if (mask.Length < n || stack.Length < n) throw new ArgumentException("plane buffers too small");
        // 2 = background reached from the border
        int top = 0;
        void Seed(Span<byte> m, int i, int[] s, ref int t)
        {
            if (m[i] == 0) { m[i] = 2; s[t++] = i; }
        }
        for (int x = 0; x < w; x++)
        {
            Seed(mask, x, stack, ref top);
            Seed(mask, (h - 1) * w + x, stack, ref top);
        }
        for (int y = 0; y < h; y++)
        {
            Seed(mask, y * w, stack, ref top);
            Seed(mask, y * w + w - 1, stack, ref top);
        }
        while (top > 0)
        {
            int i = stack[--top];
            int x = i % w, y = i / w;
            if (x > 0) Seed(mask, i - 1, stack, ref top);
            if (x < w - 1) Seed(mask, i + 1, stack, ref top);
            if (y > 0) Seed(mask, i - w, stack, ref top);
            if (y < h - 1) Seed(mask, i + w, stack, ref top);
        }
        for (int i = 0; i < n; i++) mask[i] = mask[i] == 2 ? (byte)0 : (byte)1;
    }

    /// <summary>
    /// The binned mask: probabilities above <paramref name="threshold"/>, 3D components (6-connected) with fewer voxels
    /// than <paramref name="minComponentFraction"/> × the largest dropped, holes filled in every x–y slice.
    /// </summary>
    public static Volume<byte> Clean(Volume<float> probability, double threshold, double minComponentFraction)
    {
        var mask = probability.Like<byte>();
        var p = probability.Data;
        for (long i = 0; i < p.LongLength; i++) mask.Data[i] = p[i] > threshold ? (byte)1 : (byte)0;
        var (labels, count) = ConnectedComponents.Label(mask, new ComponentOptions { Connectivity = Connectivity.Six });
        if (count > 1)
        {
            var sizes = new long[count + 1];
            foreach (uint l in labels.Data) sizes[l]++;
            long largest = 0;
            for (int l = 1; l <= count; l++) largest = Math.Max(largest, sizes[l]);
            double min = minComponentFraction * largest;
            for (long i = 0; i < labels.Data.LongLength; i++)
                if (labels.Data[i] != 0 && sizes[labels.Data[i]] < min) mask.Data[i] = 0;
        }
        var stack = new int[mask.SliceLength];
        for (int z = 0; z < mask.Nz; z++) FillHoles(mask.Slice(z), mask.Nx, mask.Ny, stack);
        return mask;
    }

    /// <summary>
    /// The full-size mask of a binned result, streamed: in each slice the probabilities are clamped by the cleaned mask
    /// (inside at least just above the threshold, outside at most just below), upsampled bilinearly and thresholded.
    /// </summary>
    public static IMaskStream UpsampledMask(Volume<float> probability, Volume<byte> clean, double threshold, int factor, VolumeInfo full)
        => new UpsampledMaskStream(probability, clean, threshold, factor, full with { Type = VoxelType.UInt8 });

    /// <summary>The tomogram's x–y slices binned by <paramref name="factor"/> (area mean); the voxel size grows by the factor in x and y.</summary>
    public static Volume<float> BinVolume(IVolumeReader tomogram, int factor, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        var info = tomogram.Info;
        int bw = BinnedSize(info.Nx, factor), bh = BinnedSize(info.Ny, factor);
        var voxel = info.VoxelSize is { } v ? new VoxelSize(v.X * factor, v.Y * factor, v.Z) : (VoxelSize?)null;
        var binned = new Volume<float>(bw, bh, info.Nz, voxel);
        var slice = new float[info.SliceLength];
        for (int z = 0; z < info.Nz; z++)
        {
            cancellation.ThrowIfCancellationRequested();
            tomogram.ReadSlice<float>(z, slice);
            Bin(slice, info.Nx, info.Ny, factor, binned.Slice(z));
            progress.Report("binning the tomogram", z + 1, info.Nz, "slices");
        }
        return binned;
    }

    /// <summary>A simulation's cell body (classes <see cref="FirstBodyClass"/>–<see cref="LastBodyClass"/> of classes.mrc) binned: 1 where at least half of a block is body.</summary>
    public static Volume<byte> BinBody(IVolumeReader classes, int factor)
    {
        var info = classes.Info;
        int bw = BinnedSize(info.Nx, factor), bh = BinnedSize(info.Ny, factor);
        var voxel = info.VoxelSize is { } v ? new VoxelSize(v.X * factor, v.Y * factor, v.Z) : (VoxelSize?)null;
        var binned = new Volume<byte>(bw, bh, info.Nz, voxel);
        var slice = new byte[info.SliceLength];
        var body = new float[info.SliceLength];
        var mean = new float[bw * bh];
        for (int z = 0; z < info.Nz; z++)
        {
            classes.ReadSlice<byte>(z, slice);
            for (int i = 0; i < slice.Length; i++) body[i] = slice[i] is >= FirstBodyClass and <= LastBodyClass ? 1f : 0f;
            Bin(body, info.Nx, info.Ny, factor, mean);
            var dst = binned.Slice(z);
            for (int i = 0; i < mean.Length; i++) dst[i] = mean[i] >= 0.5f ? (byte)1 : (byte)0;
        }
        return binned;
    }

    /// <summary>
    /// Writes a simulation folder as a body-training folder: <c>tomogram.mrc</c> (x–y binned to about <paramref name="pixelNm"/>)
    /// and <c>membranes.mrc</c> holding the binned cell body (so that <c>sxtseg train --sim</c> reads it as labels).
    /// </summary>
    /// <returns>The bin factor used.</returns>
    public static int WriteTrainingFolder(string simulation, string output, double pixelNm = DefaultPixelNm)
    {
        using var tomogram = VolumeIO.OpenRead(Path.Combine(simulation, "tomogram.mrc"));
        using var classes = VolumeIO.OpenRead(Path.Combine(simulation, "classes.mrc"));
        var voxel = tomogram.Info.VoxelSize ?? throw new InvalidInputException(tomogram.Path, "voxel size is not stored in the file");
        int factor = BinFactor(voxel.X, pixelNm);
        var image = BinVolume(tomogram, factor);
        var body = BinBody(classes, factor);
        Directory.CreateDirectory(output);
        var provenance = new Provenance("cell-body training data").AddInput(simulation);
        provenance.Set("bin_factor", factor.ToString(CultureInfo.InvariantCulture));
        VolumeIO.Write(Path.Combine(output, "tomogram.mrc"), image, provenance);
        VolumeIO.Write(Path.Combine(output, "membranes.mrc"), body, provenance);
        return factor;
    }

    /// <summary>Runs a loaded body model on every slice of a binned volume (one worker per partition of slices).</summary>
    public static Volume<float> Predict(Volume<float> binned, SegmentationModel model, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        int w = binned.Nx, h = binned.Ny, nz = binned.Nz;
        if (model.ReadsContext)
            throw new InvalidOptionException(nameof(FilopodiaRunRequest.BodyModelPath), "a body model segments binned slices one at a time; this model reads neighbouring slices (context)");
        int multiple = model.Workers[0].SizeMultiple;
        int tile = Math.Min(256, (Math.Max(w, h) + multiple - 1) / multiple * multiple);
        var options = new TileOptions { TileSize = tile, Overlap = Math.Min(32, tile / 2), BatchSize = 1 };
        var result = binned.Like<float>();
        int workers = model.Workers.Count, done = 0;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellation }, k =>
        {
            var predictor = new SlicePredictor(model.Workers[k], options);
            var plane = new float[w * h];
            for (int z = k; z < nz; z += workers)
            {
                cancellation.ThrowIfCancellationRequested();
                binned.Slice(z).CopyTo(plane);
                model.Normalise(plane, w, h);
                predictor.Predict(plane, w, h, result.Slice(z));
                progress.Report("finding the cell body", Interlocked.Increment(ref done), nz, "slices");
            }
        });
        return result;
    }

    /// <summary>
    /// The cell body of a tomogram: binned to about <see cref="CellBodyOptions.PixelNm"/>, labelled by the body model at
    /// <paramref name="modelPath"/>, cleaned (<see cref="Clean"/>) and upsampled (<see cref="UpsampledMask"/>).
    /// <paramref name="voxelSize"/>, when given, is the tomogram's voxel size instead of its header's (--voxel-size).
    /// </summary>
    public static CellBodyResult FromTomogram(IVolumeReader tomogram, string modelPath, CellBodyOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default, VoxelSize? voxelSize = null)
    {
        options ??= new CellBodyOptions();
        options.Validate();
        if (!File.Exists(modelPath)) throw new InvalidOptionException(nameof(FilopodiaRunRequest.BodyModelPath), $"{modelPath}: file not found");
        var voxel = voxelSize ?? tomogram.Info.VoxelSize ?? throw new InvalidInputException(tomogram.Path, "voxel size is not stored in the file; the body model needs it to bin the slices");
        int factor = BinFactor(voxel.X, options.PixelNm);
        var binned = BinVolume(tomogram, factor, progress, cancellation);
        using var model = SegmentationModel.Load(modelPath, options.Workers, new InferenceOptions { Threads = 1 }); // a small model: one libtorch thread per worker (several threads contend on a loaded machine)
        var probability = Predict(binned, model, progress, cancellation);
        double threshold = options.Threshold ?? model.Threshold;
        var clean = Clean(probability, threshold, options.MinComponentFraction);
        return new CellBodyResult(UpsampledMask(probability, clean, threshold, factor, tomogram.Info), clean, probability, factor, threshold, model.Id, options.MinComponentFraction);
    }

    private sealed class UpsampledMaskStream : IMaskStream
    {
        private readonly Volume<float> _p;
        private readonly Volume<byte> _clean;
        private readonly float _t, _inside, _outside;
        private readonly int _factor;
        private readonly float[] _binned, _full;
        private int _z;

        public UpsampledMaskStream(Volume<float> probability, Volume<byte> clean, double threshold, int factor, VolumeInfo info)
        {
            if (probability.Nz != info.Nz || probability.Nx != BinnedSize(info.Nx, factor) || probability.Ny != BinnedSize(info.Ny, factor))
                throw new ArgumentException("the binned volume does not match the full size and factor");
            _p = probability;
            _clean = clean;
            _t = (float)threshold;
            _inside = MathF.BitIncrement(MathF.BitIncrement(_t));
            _outside = MathF.BitDecrement(MathF.BitDecrement(_t));
            _factor = factor;
            Info = info;
            _binned = new float[probability.SliceLength];
            _full = new float[info.SliceLength];
        }

        public VolumeInfo Info { get; }

        public void Reset() => _z = 0;

        public void ReadNext(Span<byte> dest)
        {
            if (_z >= Info.Nz) throw new InvalidOperationException("read past the last slice");
            var p = _p.Slice(_z);
            var c = _clean.Slice(_z);
            for (int i = 0; i < _binned.Length; i++) _binned[i] = c[i] != 0 ? Math.Max(p[i], _inside) : Math.Min(p[i], _outside);
            Upsample(_binned, _factor, _full, Info.Nx, Info.Ny);
            for (int i = 0; i < _full.Length; i++) dest[i] = _full[i] > _t ? (byte)1 : (byte)0;
            _z++;
        }
    }
}
