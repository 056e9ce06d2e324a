using System.Diagnostics;
using System.Globalization;
using SxtSeg.Measurement;
using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// Components + marching cubes + measurements on a synthetic 1324 × 1284 × 350 membrane mask,
/// streamed from an MRC file (the target: under 60 s on 2 cores, memory bounded by slabs).
/// <c>morphometrics [--size XxYxZ] [--repeats N] [--stage measure|components|mesh|all] [--file PATH]</c>
/// </summary>
public sealed class MorphometricsBenchmark : IBenchmark
{
    public string Name => "morphometrics";

    public string Description => "components + marching cubes + measurements on a synthetic 1324×1284×350 cell mask";

    public int Run(string[] args)
    {
        string size = Arg(args, "--size") ?? "1324x1284x350";
        int repeats = int.Parse(Arg(args, "--repeats") ?? "3", CultureInfo.InvariantCulture);
        string stage = Arg(args, "--stage") ?? "measure";
        var dims = size.Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string path = Arg(args, "--file") ?? Path.Combine(Path.GetTempPath(), "sxtseg-bench", $"cell-mask-{size}.mrc");
        var voxel = VoxelSize.Isotropic(10);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var sw = Stopwatch.StartNew();
            var scene = new SyntheticCellMask(dims[0], dims[1], dims[2], seed: 1);
            scene.Write(path, voxel);
            Console.WriteLine($"generated {path} ({scene.ShapeCount} shapes) in {sw.Elapsed.TotalSeconds:F1} s");
        }
        using (var r = VolumeIO.OpenRead(path))
        {
            Console.WriteLine($"input: {r.Info}, {new FileInfo(path).Length / 1e6:F0} MB");
            var mask = MaskStreams.FromReader(VolumeIO.OpenRead(path), ForegroundRule.Binary);
            Console.WriteLine($"foreground: {mask.CountForeground() / (double)r.Info.VoxelCount:P2} of voxels");
            mask.Dispose();
        }
        Console.WriteLine($"stage {stage}, {repeats} repeats, {Environment.ProcessorCount} cores");
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            string summary = stage switch
            {
                "components" => Components(path),
                "mesh" => Mesh(path),
                _ => Measure(path, int.Parse(Arg(args, "--smooth") ?? "10", CultureInfo.InvariantCulture)),
            };
            times.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine($"  run {i + 1}: {sw.Elapsed.TotalSeconds:F2} s — {summary}");
        }
        Console.WriteLine($"median {Timing.Median(times):F2} s over {repeats} runs; peak RSS {Timing.PeakRssMiB():F0} MiB");
        return 0;
    }

    private static string Components(string path)
    {
        using var mask = MaskStreams.FromReader(VolumeIO.OpenRead(path), ForegroundRule.Binary);
        var cc = ConnectedComponents.Analyze(mask, new ComponentOptions { MinVoxels = 10 });
        long sum = 0;
        cc.Stream(slab => sum += slab.Count); // second pass: labels recomputed slab by slab
        return $"{cc.ObjectCount} objects ≥ 10 voxels, {cc.RemovedObjects} smaller removed";
    }

    private static string Measure(string path, int smooth)
    {
        var stages = new StageClock();
        using var mask = MaskStreams.FromReader(VolumeIO.OpenRead(path), ForegroundRule.Binary);
        var cc = ConnectedComponents.Analyze(mask, new ComponentOptions { MinVoxels = 10 }, stages);
        var result = ObjectMeasurer.Measure(cc, new MeasureOptions { SurfaceSmoothing = smooth }, progress: stages);
        var big = result.Objects.MaxBy(o => o.Voxels)!;
        return string.Create(CultureInfo.InvariantCulture,
            $"{result.Objects.Count} objects measured ({cc.RemovedObjects} < 10 voxels removed), {result.SurfaceTriangles:N0} triangles; largest object {big.Voxels:N0} voxels, area {big.SurfaceAreaNm2:G4} nm²; stages: {stages}");
    }

    /// <summary>Records when each progress stage first and last reported (synchronously).</summary>
    private sealed class StageClock : IProgress<ProgressUpdate>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly List<(string Stage, double First, double Last)> _stages = new();

        public void Report(ProgressUpdate value)
        {
            lock (_stages)
            {
                double t = _watch.Elapsed.TotalSeconds;
                int i = _stages.FindIndex(s => s.Stage == value.Stage);
                if (i < 0) _stages.Add((value.Stage, t, t));
                else _stages[i] = (value.Stage, _stages[i].First, t);
            }
        }

        public override string ToString()
        {
            // Each stage runs from the end of the previous one to its last report.
            var parts = new List<string>();
            double prev = 0;
            foreach (var (stage, _, last) in _stages)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{stage} {last - prev:F1} s"));
                prev = last;
            }
            return string.Join(", ", parts);
        }
    }

    private static string Mesh(string path)
    {
        using var mask = MaskStreams.FromReader(VolumeIO.OpenRead(path), ForegroundRule.Binary);
        var cc = ConnectedComponents.Analyze(mask, new ComponentOptions { MinVoxels = 10 });
        var set = MarchingCubes.Extract(cc);
        MeshSmoothing.Taubin(set, 10);
        return $"{set.Objects.Count} meshes, {set.TriangleCount:N0} triangles, {set.VertexCount:N0} vertices";
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
