using System.Globalization;
using SxtSeg.Measurement;
using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// Measured vs analytic values for voxelised spheres, rotated ellipsoids and filopodium-like rods
/// (130 nm × 1 µm at 10 nm voxels), and the raw vs smoothed surface area: the accuracy table of
/// docs/morphometrics.md. <c>morph-accuracy</c>
/// </summary>
public sealed class MorphometryAccuracyBenchmark : IBenchmark
{
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
                var m = Voxelise(VoxelSize.Isotropic(10), Math.Sqrt(l * l + 4 * r * r), Rot(yaw, pitch, roll), (u, w, t) => Math.Abs(u) <= l / 2 && w * w + t * t <= r * r);
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
            var m = Voxelise(new VoxelSize(v, v, v), 2 * r, Rot(0, 0, 0), (u, w, t) => u * u + w * w + t * t <= r * r);
            Row($"sphere r = {r} nm", m, 4.0 / 3 * Math.PI * r * r * r, 4 * Math.PI * r * r, new[] { 2 * r, 2 * r, 2 * r }, new[] { 2 * r, 2 * r, 2 * r });
        }
        foreach (var (yaw, pitch, roll, vz) in new[] { (0.0, 0.0, 0.0, 10.0), (30.0, 20.0, 40.0, 10.0), (65.0, -35.0, 10.0, 15.0), (12.0, 70.0, 5.0, 20.0) })
        {
            double a = 250, b = 150, c = 100;
            var m = Voxelise(new VoxelSize(10, 10, vz), 2 * a, Rot(yaw, pitch, roll), (u, w, t) => u * u / (a * a) + w * w / (b * b) + t * t / (c * c) <= 1);
            Row(string.Create(ci, $"ellipsoid 250×150×100, rot {yaw}/{pitch}/{roll}"), m, 4.0 / 3 * Math.PI * a * b * c, EllipsoidArea(a, b, c), new[] { 2 * a, 2 * b, 2 * c }, new[] { 2 * a, 2 * b, 2 * c }, vz);
        }
        foreach (var (yaw, pitch, roll) in new[] { (0.0, 0.0, 0.0), (0.0, 90.0, 0.0), (35.0, 25.0, 0.0), (-50.0, 60.0, 30.0), (10.0, 45.0, 0.0) })
        {
            double r = 65, l = 1000;
            var m = Voxelise(VoxelSize.Isotropic(10), Math.Sqrt(l * l + 4 * r * r), Rot(yaw, pitch, roll), (u, w, t) => Math.Abs(u) <= l / 2 && w * w + t * t <= r * r);
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

    private static double[,] Rot(double yawDeg, double pitchDeg, double rollDeg)
    {
        double a = yawDeg * Math.PI / 180, b = pitchDeg * Math.PI / 180, c = rollDeg * Math.PI / 180;
        double ca = Math.Cos(a), sa = Math.Sin(a), cb = Math.Cos(b), sb = Math.Sin(b), cc = Math.Cos(c), sc = Math.Sin(c);
        return new double[3, 3]
        {
            { ca * cb, ca * sb * sc - sa * cc, ca * sb * cc + sa * sc },
            { sa * cb, sa * sb * sc + ca * cc, sa * sb * cc - ca * sc },
            { -sb, cb * sc, cb * cc },
        };
    }

    private static Volume<byte> Voxelise(VoxelSize vs, double extent, double[,] r, Func<double, double, double, bool> inside)
    {
        int nx = (int)Math.Ceiling(extent / vs.X) + 6, ny = (int)Math.Ceiling(extent / vs.Y) + 6, nz = (int)Math.Ceiling(extent / vs.Z) + 6;
        var v = new Volume<byte>(nx, ny, nz, vs);
        double cx = (nx - 1) / 2.0 + 0.3, cy = (ny - 1) / 2.0 + 0.2, cz = (nz - 1) / 2.0 + 0.45;
        Parallel.For(0, nz, z =>
        {
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    double px = (x - cx) * vs.X, py = (y - cy) * vs.Y, pz = (z - cz) * vs.Z;
                    double u = r[0, 0] * px + r[1, 0] * py + r[2, 0] * pz, w = r[0, 1] * px + r[1, 1] * py + r[2, 1] * pz, t = r[0, 2] * px + r[1, 2] * py + r[2, 2] * pz;
                    if (inside(u, w, t)) v[z, y, x] = 1;
                }
        });
        return v;
    }

    private static double EllipsoidArea(double a, double b, double c)
    {
        int nt = 600, np = 1200;
        double sum = 0;
        for (int i = 0; i < nt; i++)
        {
            double th = (i + 0.5) * Math.PI / nt, st = Math.Sin(th), ct = Math.Cos(th);
            for (int j = 0; j < np; j++)
            {
                double ph = (j + 0.5) * 2 * Math.PI / np;
                double x = b * c * st * st * Math.Cos(ph), y = a * c * st * st * Math.Sin(ph), z = a * b * st * ct;
                sum += Math.Sqrt(x * x + y * y + z * z);
            }
        }
        return sum * (Math.PI / nt) * (2 * Math.PI / np);
    }
}
