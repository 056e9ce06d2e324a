using System.Globalization;
using SxtSeg.Volumes;

namespace SxtSeg.Inference;

/// <summary>Every setting of a segmentation run (recorded in the JSON sidecar).</summary>
public sealed record SegmentOptions
{
    /// <summary>Sliding-window settings.</summary>
    public TileOptions Tiles { get; init; } = new();

    /// <summary>Also predict x–z and y–z planes and fuse them with the x–y prediction.</summary>
    public bool FuseAxes { get; init; }

    /// <summary>
    /// Weights of the x–y, x–z and y–z predictions in the fusion. x–y planes are free of the missing
    /// wedge's elongation and are the network's training orientation, so they weigh most.
    /// </summary>
    public (double Xy, double Xz, double Yz) AxisWeights { get; init; } = (2, 1, 1);

    /// <summary>Memory budget in bytes for the blocks of x–z / y–z planes.</summary>
    public long BlockBytes { get; init; } = 256L << 20;

    /// <summary>Membrane when the (fused, smoothed) probability exceeds this; null = the model's threshold (its card; 0.5 for models that state none).</summary>
    public double? Threshold { get; init; }

    /// <summary>Average probabilities over ±this many neighbouring slices before thresholding (0 = off).</summary>
    public int ZSmoothing { get; init; }

    /// <summary>Remove 3D connected objects with fewer voxels (0 = off).</summary>
    public long MinObjectVoxels { get; init; }

    /// <summary>Remove 3D connected objects smaller than this volume in nm³ (needs the voxel size; combined with <see cref="MinObjectVoxels"/> by taking the larger).</summary>
    public double? MinObjectVolumeNm3 { get; init; }

    /// <summary>Binary erosion steps (6-connected) after thresholding (0 = off).</summary>
    public int ErosionSteps { get; init; }

    /// <summary>Clear this many voxels at every border of the volume (x, y and z).</summary>
    public int CropBorder { get; init; }

    /// <summary>Drop labels outside an automatic rough cell mask (cell versus empty ice).</summary>
    public bool CellMask { get; init; }

    /// <summary>Probability map output.</summary>
    public ProbabilityOutput Probabilities { get; init; } = ProbabilityOutput.None;

    /// <summary>Slices [First, First+Count) to segment (null = all): --slices; not with <see cref="Shard"/>.</summary>
    public (int First, int Count)? Slices { get; init; }

    /// <summary>Shard index and count when predicting one shard of a cluster job (prediction only; <c>merge</c> finishes).</summary>
    public (int Index, int Count)? Shard { get; init; }

    /// <summary>Accept a single 2D image (otherwise refused: a tomogram is expected).</summary>
    public bool Allow2D { get; init; }

    /// <summary>
    /// Resample slices whose voxel size lies outside the model's trained range (or differs from its
    /// single size by more than <see cref="VoxelSizeTolerance"/>) to that size before prediction, and
    /// the probabilities back to the input grid (on by default; off = --no-rescale).
    /// </summary>
    public bool Rescale { get; init; } = true;

    /// <summary>Which way the grey values run (auto = detect, <see cref="PolarityDetector"/>).</summary>
    public Polarity Polarity { get; init; } = Polarity.Auto;

    /// <summary>Relative voxel-size difference between model and tomogram above which a warning is given.</summary>
    public double VoxelSizeTolerance { get; init; } = 0.25;

    /// <summary>Voxel size to use instead of the tomogram's (nm).</summary>
    public VoxelSize? VoxelSize { get; init; }

    /// <summary>
    /// The tomogram's effective resolution (nm; 1.22 × the zone plate's outermost zone width), when
    /// known: with a model that states its training resolution (<see cref="Network.TrainedResolution"/>)
    /// the slices are resampled by resolution instead of by voxel size (--resolution).
    /// </summary>
    public double? ResolutionNm { get; init; }

    /// <summary>
    /// Search the scale at which the model finds the most membrane evidence (<see cref="ScaleDetector"/>;
    /// on by default, for models that state their training resolution; off with --no-scale-search,
    /// and not done with --resolution or --no-rescale).
    /// </summary>
    public bool ScaleSearch { get; init; } = true;

    /// <summary>Folder for temporary probability files (default: next to the output).</summary>
    public string? TempFolder { get; init; }

    /// <summary>Smallest tile side (pixels).</summary>
    public const int MinTile = 16;

    /// <summary>Largest tile side (pixels): beyond it the network's working memory grows past a workstation's for no gain.</summary>
    public const int MaxTile = 2048;

    /// <summary>Most tiles per network call.</summary>
    public const int MaxBatch = 64;

    /// <summary>Largest --block-mb (MB).</summary>
    public const int MaxBlockMb = 65536;

    /// <summary>Largest --crop (voxels).</summary>
    public const int MaxCrop = 4096;

    /// <summary>Largest --z-smooth and --erode.</summary>
    public const int MaxSteps = 20;

    /// <summary>
    /// Working memory of the network workers in bytes, estimated before the model is loaded: the
    /// runtime and model (about 300 MB) plus, per worker, about 80 bytes per first-level channel
    /// per tile pixel per batch item (measured on CPU for the shipped model: 500–600 bytes per
    /// pixel at 8 channels; see docs/robustness.md).
    /// </summary>
    public double NetworkMemoryEstimate(int firstLevelChannels, int workers)
        => 300e6 + 80.0 * Math.Max(1, firstLevelChannels) * Tiles.TileSize * (double)Tiles.TileSize * Tiles.BatchSize * Math.Max(1, workers);

    /// <summary>Checks ranges; throws <see cref="InvalidOptionException"/>.</summary>
    public void Validate()
    {
        if (Threshold is double th && !(th > 0 && th < 1)) throw new InvalidOptionException(nameof(Threshold), $"must be between 0 and 1, got {th.ToString(CultureInfo.InvariantCulture)}");
        if (ZSmoothing < 0 || ZSmoothing > MaxSteps) throw new InvalidOptionException(nameof(ZSmoothing), $"must be 0..{MaxSteps} slices, got {ZSmoothing}");
        if (MinObjectVoxels < 0) throw new InvalidOptionException(nameof(MinObjectVoxels), "must be ≥ 0");
        if (MinObjectVolumeNm3 is { } mv && !(mv >= 0 && double.IsFinite(mv))) throw new InvalidOptionException(nameof(MinObjectVolumeNm3), $"must be a finite number ≥ 0 nm³, got {mv.ToString(CultureInfo.InvariantCulture)}");
        if (ErosionSteps < 0 || ErosionSteps > MaxSteps) throw new InvalidOptionException(nameof(ErosionSteps), $"must be 0..{MaxSteps}, got {ErosionSteps}");
        if (CropBorder < 0 || CropBorder > MaxCrop) throw new InvalidOptionException(nameof(CropBorder), $"must be 0..{MaxCrop}, got {CropBorder}");
        if (Tiles.TileSize < MinTile || Tiles.TileSize > MaxTile) throw new InvalidOptionException(nameof(TileOptions.TileSize), $"must be {MinTile}..{MaxTile} pixels, got {Tiles.TileSize}");
        if (Tiles.BatchSize < 1 || Tiles.BatchSize > MaxBatch) throw new InvalidOptionException(nameof(TileOptions.BatchSize), $"must be 1..{MaxBatch}, got {Tiles.BatchSize}");
        if (Tiles.Overlap < 0 || Tiles.Overlap >= Tiles.TileSize) throw new InvalidOptionException(nameof(TileOptions.Overlap), $"must be 0..{Tiles.TileSize - 1} (below the tile size), got {Tiles.Overlap}");
        if (Tiles.Augmentations is not (1 or 2 or 4 or 8)) throw new InvalidOptionException(nameof(TileOptions.Augmentations), $"test-time augmentation must be 1, 2, 4 or 8, got {Tiles.Augmentations}");
        var (a, b, c) = AxisWeights;
        if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c)) throw new InvalidOptionException(nameof(AxisWeights), "need three finite numbers, e.g. 2,1,1");
        if (a < 0 || b < 0 || c < 0 || a + b + c <= 0) throw new InvalidOptionException(nameof(AxisWeights), "need three non-negative weights, not all zero");
        if (ResolutionNm is double res && !(res >= 1 && res <= 10_000)) throw new InvalidOptionException(nameof(ResolutionNm), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"resolution must be 1 nm to 10 µm, got {res}"));
        if (VoxelSize is { IsPlausible: false } vs) throw new InvalidOptionException(nameof(VoxelSize), $"voxel size must be {Volumes.VoxelSize.RangeText} on every axis, got {vs}");
        if (Shard is { } s && (s.Count < 1 || s.Index < 0 || s.Index >= s.Count)) throw new InvalidOptionException(nameof(Shard), $"shard {s.Index}/{s.Count} is out of range (use I/N with 0 ≤ I < N)");
        if (Shard is not null && FuseAxes) throw new InvalidOptionException(nameof(Shard), "multi-axis fusion needs the whole tomogram; run it without --shard");
        if (Shard is not null && Slices is not null) throw new InvalidOptionException(nameof(Slices), "segments a range of slices in one run and cannot be split into shards (--shard, or a SLURM array job, which implies one); run it outside the array");
        if (BlockBytes < (1 << 20) || BlockBytes > ((long)MaxBlockMb << 20)) throw new InvalidOptionException(nameof(BlockBytes), $"must be 1..{MaxBlockMb} MB, got {BlockBytes >> 20}");
    }

    /// <summary>
    /// Parses a slice range: "A-B" (slices A to B, both included, z from 0, as <c>train --slices</c>
    /// writes ranges), "A" (one slice), or the older "A:B" (Python slicing: A included, B excluded).
    /// Returns the first slice and the count.
    /// </summary>
    public static (int First, int Count) ParseSlices(string s, string option = nameof(Slices))
    {
        string t = s.Trim();
        static bool Int(string x, out int v) => int.TryParse(x.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (t.Contains(':'))
        {
            var p = t.Split(':');
            if (p.Length == 2 && Int(p[0], out int a) && Int(p[1], out int b) && b > a) return (a, b - a);
        }
        else if (t.Contains('-'))
        {
            var p = t.Split('-');
            if (p.Length == 2 && Int(p[0], out int a) && Int(p[1], out int b) && b >= a) return (a, b - a + 1);
        }
        else if (Int(t, out int z)) return (z, 1);
        throw new InvalidOptionException(option, $"'{s}' is not a slice range A-B (z from 0, both ends included, A ≤ B)");
    }

    /// <summary>Parses "I/N" (part I of N, from 0); errors carry the key <paramref name="option"/> (<see cref="Shard"/> by default, <see cref="BatchSegmenter.TaskKey"/> for a batch task).</summary>
    public static (int Index, int Count) ParseShard(string s, string option = nameof(Shard))
    {
        var p = s.Split('/');
        if (p.Length == 2 && int.TryParse(p[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(p[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
        {
            if (n < 1 || i < 0 || i >= n) throw new InvalidOptionException(option, $"{option.ToLowerInvariant()} {i}/{n} is out of range (use I/N with 0 ≤ I < N)");
            return (i, n);
        }
        throw new InvalidOptionException(option, $"'{s}' is not I/N");
    }

    /// <summary>The slices [first, first+count) of shard <paramref name="index"/> of <paramref name="count"/> over nz slices (balanced, contiguous).</summary>
    public static (int First, int Count) ShardRange(int index, int count, int nz)
    {
        int first = (int)((long)nz * index / count), end = (int)((long)nz * (index + 1) / count);
        return (first, end - first);
    }
}
