using System.Text.Json.Nodes;
using SxtSeg.Volumes;

namespace SxtSeg.Training;

/// <summary>
/// The slices of a training run, split 90/10 into train and test before any augmentation:
/// annotated slices in memory (normalised), unannotated slices as references streamed from their
/// files when drawn. Built by <see cref="TrainingDataBuilder"/>.
/// </summary>
public sealed class TrainingData : IDisposable
{
    private readonly List<IVolumeReader> _readers;
    private readonly float[][] _buffers = new float[2][];

    internal TrainingData(List<TrainingSource> sources, List<IVolumeReader> readers,
        List<AnnotatedSlice> annotatedTrain, List<AnnotatedSlice> annotatedTest,
        List<UnannotatedSlice> unannotatedTrain, List<UnannotatedSlice> unannotatedTest, int skippedUnannotated)
    {
        Sources = sources;
        _readers = readers;
        AnnotatedTrain = annotatedTrain;
        AnnotatedTest = annotatedTest;
        UnannotatedTrain = unannotatedTrain;
        UnannotatedTest = unannotatedTest;
        SkippedUnannotated = skippedUnannotated;
        float lo = float.MaxValue, hi = float.MinValue;
        foreach (var s in annotatedTrain) { lo = Math.Min(lo, s.Min); hi = Math.Max(hi, s.Max); }
        foreach (var s in unannotatedTrain) { lo = Math.Min(lo, s.Min); hi = Math.Max(hi, s.Max); }
        SsimRange = hi > lo ? hi - lo : 1.0;
    }

    /// <summary>Input files.</summary>
    public IReadOnlyList<TrainingSource> Sources { get; }

    /// <summary>Annotated training slices.</summary>
    public IReadOnlyList<AnnotatedSlice> AnnotatedTrain { get; }

    /// <summary>Annotated test slices.</summary>
    public IReadOnlyList<AnnotatedSlice> AnnotatedTest { get; }

    /// <summary>Unannotated training slices.</summary>
    public IReadOnlyList<UnannotatedSlice> UnannotatedTrain { get; }

    /// <summary>Unannotated test slices.</summary>
    public IReadOnlyList<UnannotatedSlice> UnannotatedTest { get; }

    /// <summary>Unannotated slices left out (blank, or smaller than a crop).</summary>
    public int SkippedUnannotated { get; }

    /// <summary>SSIM dynamic range L: max − min over the standardised training slices (≈ 76 in the authors' run).</summary>
    public double SsimRange { get; }

    /// <summary>Voxel size shared by all inputs that have one (--voxel-size, else the header; within 1 %), else null.</summary>
    public double? CommonVoxelSizeNm
    {
        get
        {
            double? v = null;
            foreach (var s in Sources)
            {
                if (s.VoxelSizeNm is not double x) continue;
                if (v is null) v = x;
                else if (Math.Abs(x - v.Value) > 0.01 * v.Value) return null;
            }
            return v;
        }
    }

    /// <summary>Reads and normalises an unannotated slice into a buffer (reused; valid until the next call with the same <paramref name="buffer"/> slot).</summary>
    public float[] ReadUnannotated(UnannotatedSlice s, int buffer = 0)
    {
        var reader = _readers[s.SourceIndex];
        int n = (int)reader.Info.SliceLength;
        var b = _buffers[buffer];
        if (b is null || b.Length != n) _buffers[buffer] = b = new float[n];
        reader.ReadSlice<float>(s.Z, b);
        s.Statistics.Apply(b);
        return b;
    }

    /// <summary>Columns of an unannotated slice's source.</summary>
    public int WidthOf(UnannotatedSlice s) => _readers[s.SourceIndex].Info.Nx;

    /// <summary>Summary for the model card: inputs with sizes, voxel sizes, instruments, slice counts.</summary>
    public JsonObject Summary()
    {
        var inputs = new JsonArray();
        foreach (var s in Sources)
        {
            inputs.Add(new JsonObject
            {
                ["file"] = Path.GetFileName(s.Path.TrimEnd('/')),
                ["role"] = s.Role,
                ["size"] = $"{s.Info.Nx} x {s.Info.Ny} x {s.Info.Nz}",
                ["voxel_size_nm"] = s.VoxelSizeNm,
                ["instrument"] = s.Instrument,
            });
            // the header's size when --voxel-size overrode another: what the file said stays on record
            if (BankSource.OverriddenHeaderNm(s.Info.VoxelSize, s.VoxelSizeNm) is double h)
                ((JsonObject)inputs[^1]!)["header_voxel_size_nm"] = h;
        }
        var instruments = new JsonArray();
        foreach (var i in Sources.Select(s => s.Instrument ?? "unknown").Distinct(StringComparer.Ordinal)) instruments.Add(i);
        var voxelSizes = new JsonArray();
        foreach (var v in Sources.Where(s => s.VoxelSizeNm is not null).Select(s => Math.Round(s.VoxelSizeNm!.Value, 4)).Distinct()) voxelSizes.Add(v);
        return new JsonObject
        {
            ["inputs"] = inputs,
            ["instruments"] = instruments,
            ["voxel_sizes_nm"] = voxelSizes,
            ["annotated_slices"] = new JsonObject { ["train"] = AnnotatedTrain.Count, ["test"] = AnnotatedTest.Count },
            ["unannotated_slices"] = new JsonObject { ["train"] = UnannotatedTrain.Count, ["test"] = UnannotatedTest.Count, ["skipped"] = SkippedUnannotated },
            ["ssim_range"] = Math.Round(SsimRange, 4),
            ["test_annotated"] = string.Join("; ", AnnotatedTest.Select(a => a.ToString())),
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var r in _readers) r.Dispose();
        _readers.Clear();
    }
}
