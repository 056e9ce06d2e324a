using System.Globalization;
using SxtSeg.Measurement;
using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Tests.Measurement;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// Measured vs analytic values for voxelised spheres, rotated ellipsoids and filopodium-like rods
/// (130 nm × 1 µm at 10 nm voxels), and the raw vs smoothed surface area: the accuracy table of
/// docs/morphometrics.md. <c>morph-accuracy</c>
/// </summary>
public sealed class MorphometryAccuracyBenchmark : IBenchmark
{
    /// <summary>Shapes sit off the voxel grid by this much (voxels), so no symmetry flatters them.</summary>
    private static readonly (double X, double Y, double Z) Offset = (0.3, 0.2, 0.45);

    public string Name => "morph-accuracy";

    public string Description => "measurement errors on analytic shapes (spheres, ellipsoids, rods; raw vs smoothed area)";

    public int Run(string[] args)
    {
        var ci = CultureInfo.InvariantCulture;
        if (args.Length > 0 && args[0] == "--rod-sweep")
        {
            // Rod diameter extents over random orientations, for several smoothing strengths.
            var rng = new Random(7);
            var smooths = args.Skip(1).Select(a => int.Parse(a, ci)).ToArray();
            var worst = new double[smooths.Length];
            var sum = new double[smooths.Length];
            int n = 24;
            for (int i = 0; i < n; i++)
            {
                double yaw = rng.NextDouble() * 360, pitch = Math.Asin(2 * rng.NextDouble() - 1) * 180 / Math.PI, roll = rng.NextDouble() * 360;
                double r = 65, l = 1000;
                var m = AnalyticShapes.Voxelise(VoxelSize.Isotropic(10), Math.Sqrt(l * l + 4 * r * r), AnalyticShapes.Rotation(yaw, pitch, roll), (u, w, t) => Math.Abs(u) <= l / 2 && w * w + t * t <= r * r, Offset);
                for (int k = 0; k < smooths.Length; k++)
                {
                    var o = ObjectMeasurer.Measure(ConnectedComponents.Analyze(MaskStreams.FromVolume(m)), new MeasureOptions { SurfaceSmoothing = smooths[k] }).Objects.Single();
                    foreach (double e in new[] { o.SecondExtentNm / 130 - 1, o.ThirdExtentNm / 130 - 1 })
                    {
                        worst[k] = Math.Max(worst[k], Math.Abs(e));
                        sum[k] += e;
                    }
                }
            }
            for (int k = 0; k < smooths.Length; k++)
                Console.WriteLine($"smooth {smooths[k]}: rod diameter extent mean error {sum[k] / (2 * n):P2}, worst |error| {worst[k]:P2} over {n} random orientations");
            return 0;
        }
        Console.WriteLine("| shape | voxel (nm) | volume | area (raw MC) | area (10 Taubin) | extents (MIB definition) | equivalent ellipsoid axes |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (r, v) in new[] { (60.0, 10.0), (150.0, 10.0), (400.0, 10.0) })
        {
            var m = AnalyticShapes.Voxelise(new VoxelSize(v, v, v), 2 * r, AnalyticShapes.Rotation(0, 0, 0), (u, w, t) => u * u + w * w + t * t <= r * r, Offset);
            Row($"sphere r = {r} nm", m, 4.0 / 3 * Math.PI * r * r * r, 4 * Math.PI * r * r, new[] { 2 * r, 2 * r, 2 * r }, new[] { 2 * r, 2 * r, 2 * r });
        }
        foreach (var (yaw, pitch, roll, vz) in new[] { (0.0, 0.0, 0.0, 10.0), (30.0, 20.0, 40.0, 10.0), (65.0, -35.0, 10.0, 15.0), (12.0, 70.0, 5.0, 20.0) })
        {
            double a = 250, b = 150, c = 100;
            var m = AnalyticShapes.Voxelise(new VoxelSize(10, 10, vz), 2 * a, AnalyticShapes.Rotation(yaw, pitch, roll), (u, w, t) => u * u / (a * a) + w * w / (b * b) + t * t / (c * c) <= 1, Offset);
            Row(string.Create(ci, $"ellipsoid 250×150×100, rot {yaw}/{pitch}/{roll}"), m, 4.0 / 3 * Math.PI * a * b * c, AnalyticShapes.EllipsoidArea(a, b, c), new[] { 2 * a, 2 * b, 2 * c }, new[] { 2 * a, 2 * b, 2 * c }, vz);
        }
        foreach (var (yaw, pitch, roll) in new[] { (0.0, 0.0, 0.0), (0.0, 90.0, 0.0), (35.0, 25.0, 0.0), (-50.0, 60.0, 30.0), (10.0, 45.0, 0.0) })
        {
            double r = 65, l = 1000;
            var m = AnalyticShapes.Voxelise(VoxelSize.Isotropic(10), Math.Sqrt(l * l + 4 * r * r), AnalyticShapes.Rotation(yaw, pitch, roll), (u, w, t) => Math.Abs(u) <= l / 2 && w * w + t * t <= r * r, Offset);
            double ea = 2 * Math.Sqrt(5 * l * l / 12), eb = 2 * Math.Sqrt(5 * r * r / 4);
            Row(string.Create(ci, $"rod 130 nm × 1 µm, rot {yaw}/{pitch}/{roll}"), m, Math.PI * r * r * l, 2 * Math.PI * r * l + 2 * Math.PI * r * r, new[] { l, 2 * r, 2 * r }, new[] { ea, eb, eb });
        }
        return 0;
    }

    private static void Row(string name, Volume<byte> m, double volume, double area, double[] extents, double[] ellipsoid, double vz = 10)
    {
        var o = ObjectMeasurer.Measure(ConnectedComponents.Analyze(MaskStreams.FromVolume(m))).Objects.Single();
        var raw = ObjectMeasurer.Measure(ConnectedComponents.Analyze(MaskStreams.FromVolume(m)), new MeasureOptions { SurfaceSmoothing = 0 }).Objects.Single();
        string E(double measured, double truth) => ((measured / truth - 1) * 100).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture) + " %";
        Console.WriteLine($"| {name} | 10×10×{vz.ToString(CultureInfo.InvariantCulture)} | {E(o.VolumeNm3, volume)} | {E(raw.SurfaceAreaNm2, area)} | {E(o.SurfaceAreaNm2, area)} | " +
            $"{E(o.MajorExtentNm, extents[0])}, {E(o.SecondExtentNm, extents[1])}, {E(o.ThirdExtentNm, extents[2])} | " +
            $"{E(o.MajorAxisNm, ellipsoid[0])}, {E(o.SecondAxisNm, ellipsoid[1])}, {E(o.ThirdAxisNm, ellipsoid[2])} |");
    }
}
