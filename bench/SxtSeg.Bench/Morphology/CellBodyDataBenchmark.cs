using System.Globalization;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// Training data for a cell-body model: <c>cell-body-data OUTDIR SIMDIR [SIMDIR ...] [--pixel NM]</c> writes, for each
/// simulation, OUTDIR/NAME/tomogram.mrc (x–y slices binned to about NM nm, default 40) and OUTDIR/NAME/membranes.mrc
/// (the binned cell body, classes 3–10), a folder <c>sxtseg train --sim</c> reads as a simulation.
/// </summary>
public sealed class CellBodyDataBenchmark : IBenchmark
{
    public string Name => "cell-body-data";

    public string Description => "binned tomograms + cell-body masks of simulations, as folders for `sxtseg train --sim` (OUTDIR SIMDIR...)";

    public int Run(string[] args)
    {
        var pos = FilopodiaArgs.Positional(args);
        if (pos.Count < 2)
        {
            Console.Error.WriteLine("usage: cell-body-data OUTDIR SIMDIR [SIMDIR ...] [--pixel NM]");
            return 2;
        }
        double pixel = FilopodiaArgs.Number(args, "--pixel") ?? CellBody.DefaultPixelNm;
        foreach (string sim in pos.Skip(1))
        {
            string name = Path.GetFileName(Path.GetFullPath(sim).TrimEnd('/'));
            string dest = Path.Combine(pos[0], name);
            int factor = CellBody.WriteTrainingFolder(sim, dest, pixel);
            using var body = VolumeIO.OpenRead(Path.Combine(dest, "membranes.mrc"));
            var info = body.Info;
            long inside = 0;
            var slice = new byte[info.SliceLength];
            for (int z = 0; z < info.Nz; z++)
            {
                body.ReadSlice<byte>(z, slice);
                inside += slice.Length - slice.AsSpan().Count((byte)0);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: bin {factor} → {info.Nx} × {info.Ny} × {info.Nz}, body {100.0 * inside / ((long)info.SliceLength * info.Nz):F1} % → {dest}"));
        }
        return 0;
    }
}
