using SxtSeg.Simulation;
namespace SxtSeg.Bench;
public sealed class SimDebugBenchmark : IBenchmark
{
    public string Name => "sim-debug";
    public string Description => "temporary";
    public int Run(string[] args)
    {
        var p = SimArgs.Parse(args, out _);
        var r = Simulator.Simulate(p);
        var rend = new PhantomRenderer(r.Phantom);
        var row = new PhantomRow(r.Phantom);
        foreach (var o in r.Objects.Where(o => o.Class == SimClass.GoldBead).Take(6))
        {
            var c = o.CentreNm; double d = p.VoxelSizeNm;
            int x = (int)Math.Round(c.X / d), y = (int)Math.Round(c.Y / d), z = (int)Math.Round(c.Z / d);
            if (x < 0 || x >= p.Nx || y < 0 || y >= p.Ny || z < 0 || z >= p.Nz) continue;
            rend.RenderRow(y, row, true);
            Console.WriteLine($"bead {o.Id} at ({x},{y},{z}) r={o.ShapeParameters["radius_nm"]}: tomo={r.Tomogram[z, y, x]:0.00}, lac={row.Lac[z * row.Width + x + r.Phantom.MarginX]:0.00}, class={r.Classes[z, y, x]}");
            for (int dx = -12; dx <= 12; dx += 3) Console.Write($"{r.Tomogram[z, y, Math.Clamp(x + dx, 0, p.Nx - 1)],7:0.00}");
            Console.WriteLine();
        }
        return 0;
    }
}
