using System.Globalization;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// Errors on the synthetic cell edge of the tests (straight rods of known radius and length attached to a
/// slab): <c>filopodia-synthetic [--radius VOX] [--length VOX] [--angle DEG] [--elevation DEG] [--z VOX]</c>.
/// </summary>
public sealed class FilopodiaSyntheticBenchmark : IBenchmark
{
    public string Name => "filopodia-synthetic";

    public string Description => "filopodia measurement errors on the tests' synthetic cell edge with rods of known size";

    public int Run(string[] args)
    {
        double radius = FilopodiaArgs.Number(args, "--radius") ?? 6.5, length = FilopodiaArgs.Number(args, "--length") ?? 80;
        double[] angles = FilopodiaArgs.Value(args, "--angle") is { } a ? new[] { double.Parse(a, CultureInfo.InvariantCulture) } : new[] { 0.0, 20, 40 };
        double elev = (FilopodiaArgs.Number(args, "--elevation") ?? 4) * Math.PI / 180;
        double zOff = FilopodiaArgs.Number(args, "--z") ?? 0;
        foreach (double deg in angles)
        {
            double th = deg * Math.PI / 180;
            var rod = new SxtSeg.Tests.Measurement.FilopodiaScene.Rod(60, 20 + radius + 2 + zOff, -Math.Cos(th) * Math.Cos(elev), Math.Sin(th) * Math.Cos(elev), Math.Sin(elev), length, radius);
            var scene = new SxtSeg.Tests.Measurement.FilopodiaScene(200, 120 + (int)(length * Math.Sin(th)), 90, 150, 20, 46, new[] { rod });
            var membranes = scene.Membranes();
            if (FilopodiaArgs.Value(args, "--write") is { } dir)
            {
                Directory.CreateDirectory(dir);
                VolumeIO.Write(Path.Combine(dir, $"scene{deg}.mrc"), membranes);
            }
            var result = FilopodiaAnalysis.Run(membranes, VoxelSize.Isotropic(scene.VoxelNm), FilopodiaArgs.Options(args));
            if (FilopodiaArgs.Value(args, "--write") is { } dir2) FilopodiaOutputs.WriteLabels(result, Path.Combine(dir2, $"filopodia{deg}.mrc"), new Provenance("bench"));
            double v3 = Math.Pow(scene.VoxelNm, 3), v2 = scene.VoxelNm * scene.VoxelNm;
            long inst = scene.InstanceVoxels(0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"angle {deg}°: {result.Counts.Found} found; instance voxels vs analytic volume {inst / rod.Volume - 1:P2}"));
            foreach (var f in result.Filopodia)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  volume {f.VolumeNm3 / (rod.Volume * v3) - 1:P2} area {f.SurfaceAreaNm2 / (rod.Area * v2) - 1:P2} length {f.LengthNm / (rod.TotalLength * scene.VoxelNm) - 1:P2} (base area {f.BaseAreaNm2 / v2:F0} vs πr² {Math.PI * radius * radius:F0}); base ({f.BaseNm.X / scene.VoxelNm:F1}, {f.BaseNm.Y / scene.VoxelNm:F1}, {f.BaseNm.Z / scene.VoxelNm:F1}) tip ({f.TipNm.X / scene.VoxelNm:F1}, {f.TipNm.Y / scene.VoxelNm:F1}, {f.TipNm.Z / scene.VoxelNm:F1}); true base ({scene.EdgeX:F1}, {rod.Y:F1}, {rod.Z:F1}) tip ({scene.EdgeX + rod.Dx * rod.TotalLength:F1}, {rod.Y + rod.Dy * rod.TotalLength:F1}, {rod.Z + rod.Dz * rod.TotalLength:F1})"));
        }
        return 0;
    }
}
