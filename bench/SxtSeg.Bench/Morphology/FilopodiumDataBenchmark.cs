using System.Globalization;
using SxtSeg.Measurement.Filopodia;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// Training data for a filopodium model: <c>filopodium-data OUTDIR SIMDIR [SIMDIR ...]</c> writes, for each simulation,
/// OUTDIR/NAME/tomogram.mrc and truth.json (copied) and OUTDIR/NAME/membranes.mrc (1 on class 11, the filopodia),
/// a folder <c>sxtseg train --sim</c> reads as a simulation; with --link the tomogram is a symbolic link to the simulation's.
/// </summary>
public sealed class FilopodiumDataBenchmark : IBenchmark
{
    public string Name => "filopodium-data";

    public string Description => "tomograms + filopodium masks (class 11) of simulations, as folders for `sxtseg train --sim` (OUTDIR SIMDIR...)";

    public int Run(string[] args)
    {
        var pos = FilopodiaArgs.Positional(args.Where(a => a != "--link").ToArray());
        if (pos.Count < 2)
        {
            Console.Error.WriteLine("usage: filopodium-data OUTDIR SIMDIR [SIMDIR ...] [--link]");
            return 2;
        }
        foreach (string sim in pos.Skip(1))
        {
            string name = Path.GetFileName(Path.GetFullPath(sim).TrimEnd('/'));
            string dest = Path.Combine(pos[0], name);
            long voxels = FilopodiumModel.WriteTrainingFolder(sim, dest, link: args.Contains("--link"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {voxels} filopodium voxels → {dest}"));
        }
        return 0;
    }
}
