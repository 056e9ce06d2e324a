using System.Diagnostics;
using System.Globalization;
using SxtSeg.Imaging;
using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Bench;

/// <summary>
/// Compares a simulated alba-mistral slice with the real ALBA slices: KS distance of the z-scored
/// intensities and the radially averaged power-spectrum slope; writes the side-by-side PNG.
/// </summary>
public sealed class SimRealismBenchmark : IBenchmark
{
    public string Name => "sim-realism";
    public string Description => "simulated vs real ALBA slice: KS distance, spectrum slope, side-by-side PNG: [--real DIR] [--out DIR] [--profile P --size XxYxZ --seed N --set k=v]";

    private sealed record Stats(string Name, float[] Pixels, int Nx, int Ny, double[] Z, RadialSpectrum Spectrum, double Slope);

    private static Stats Measure(string name, float[] px, int nx, int ny)
    {
        var spec = Realism.PowerSpectrum(px, nx, ny);
        return new Stats(name, px, nx, ny, Realism.ZScore(px), spec, Realism.SpectrumSlope(spec));
    }

    public int Run(string[] args)
    {
        string realDir = SimArgs.Value(args, "--real") ?? Path.Combine(RealismBench.RepoRoot(), "data", "real-sxt");
        string outDir = SimArgs.Value(args, "--out") ?? "docs";
        var reals = new List<Stats>();
        foreach (var (file, invert) in new[] { ("ALBA_NI-slice404.tif", false), ("ALBA_8hpi-slice340.tif", true) })
        {
            string path = Path.Combine(realDir, file);
            if (!File.Exists(path)) { Console.WriteLine($"missing {path}"); continue; }
            var v = VolumeIO.Read<float>(path);
            var px = v.Slice(0).ToArray();
            // The 8hpi slice is stored with inverted contrast (gold beads are its minimum): negate it.
            if (invert) for (int i = 0; i < px.Length; i++) px[i] = -px[i];
            reals.Add(Measure(file + (invert ? " (negated)" : ""), px, v.Nx, v.Ny));
        }
        foreach (var r in reals) Console.WriteLine($"real {r.Name}: {r.Nx}x{r.Ny}, spectrum slope {r.Slope:0.000}");
        if (reals.Count == 2) Console.WriteLine($"real vs real KS = {Realism.KolmogorovSmirnov(reals[0].Z, reals[1].Z):0.000}");

        var p = SimArgs.Parse(args.Length > 0 ? args : new[] { "--profile", "alba-mistral" }, out _);
        if (SimArgs.Value(args, "--size") is null) p = p with { Nx = 768, Ny = 768, Nz = 320 };
        var sw = Stopwatch.StartNew();
        var result = Simulator.Simulate(p);
        Console.WriteLine($"simulated {p.Profile} {p.Nx}x{p.Ny}x{p.Nz} seed {p.Seed} in {sw.Elapsed.TotalSeconds:0.0} s");
        int z = result.PreviewSlice();
        var sim = Measure($"simulated {p.Profile} z={z}", result.Tomogram.Slice(z).ToArray(), p.Nx, p.Ny);
        Console.WriteLine($"sim slice z={z}: spectrum slope {sim.Slope:0.000}");
        foreach (var r in reals)
        {
            double ks = Realism.KolmogorovSmirnov(sim.Z, r.Z);
            double rel = Math.Abs(sim.Slope - r.Slope) / Math.Abs(r.Slope);
            Console.WriteLine($"vs {r.Name}: KS = {ks:0.000}, slope {sim.Slope:0.000} vs {r.Slope:0.000} ({rel:P0} apart)");
        }
        for (int zz = Math.Max(0, z - 40); zz <= Math.Min(p.Nz - 1, z + 40); zz += 20)
        {
            var s2 = Measure("", result.Tomogram.Slice(zz).ToArray(), p.Nx, p.Ny);
            Console.WriteLine($"  z={zz}: slope {s2.Slope:0.000}, KS vs {reals[0].Name} {Realism.KolmogorovSmirnov(s2.Z, reals[0].Z):0.000}");
        }
        if (reals.Count > 0) WriteFigures(outDir, reals[0], sim, reals);
        return 0;
    }

    private static byte[] Gray(Stats s, int size)
    {
        // Centre crop of size × size, z-scored, shown over −3..3.
        var g = new byte[size * size];
        int x0 = (s.Nx - size) / 2, y0 = (s.Ny - size) / 2;
        double mean = 0, sd = 0;
        foreach (double v in s.Pixels) mean += v;
        mean /= s.Pixels.Length;
        foreach (double v in s.Pixels) sd += (v - mean) * (v - mean);
        sd = Math.Sqrt(sd / s.Pixels.Length);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double zv = (s.Pixels[(y0 + y) * s.Nx + x0 + x] - mean) / sd;
                g[y * size + x] = (byte)Math.Clamp((zv + 3) / 6 * 255 + 0.5, 0, 255);
            }
        return g;
    }

    private static void WriteFigures(string outDir, Stats real, Stats sim, List<Stats> reals)
    {
        Directory.CreateDirectory(outDir);
        // Central 384² crops keep the PNG under 300 kB.
        int size = Math.Min(384, Math.Min(Math.Min(real.Nx, real.Ny), Math.Min(sim.Nx, sim.Ny)));
        var a = Gray(real, size);
        var b = Gray(sim, size);
        int gap = 8, w = 2 * size + gap;
        var g = new byte[w * size];
        Array.Fill(g, (byte)255);
        for (int y = 0; y < size; y++)
        {
            Array.Copy(a, y * size, g, y * w, size);
            Array.Copy(b, y * size, g, y * w + size + gap, size);
        }
        File.WriteAllBytes(Path.Combine(outDir, "simulation-realism.png"), Png.EncodeGray(w, size, g));
        var series = new List<PlotSeries>();
        foreach (var s in reals.Append(sim))
        {
            var idx = Enumerable.Range(0, s.Spectrum.Frequency.Length).Where(i => s.Spectrum.Power[i] > 0).ToArray();
            series.Add(new PlotSeries($"{s.Name} (slope {s.Slope.ToString("0.00", CultureInfo.InvariantCulture)})",
                idx.Select(i => Math.Log10(s.Spectrum.Frequency[i])).ToArray(), idx.Select(i => Math.Log10(s.Spectrum.Power[i])).ToArray()));
        }
        File.WriteAllBytes(Path.Combine(outDir, "simulation-spectra.png"),
            Plots.Lines("Radially averaged power spectrum (z-scored slices)", "log10 frequency (cycles/pixel)", "log10 power", series, 900, 500));
    }
}
