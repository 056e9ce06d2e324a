using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>Writes the intermediate masks (solid cells, protrusions) of a label volume as MRC files: <c>filopodia-masks LABELS OUTDIR [options]</c>.</summary>
public sealed class FilopodiaMasksBenchmark : IBenchmark
{
    public string Name => "filopodia-masks";

    public string Description => "write the solid-cell and protrusion masks of a label volume (for inspection)";

    public int Run(string[] args)
    {
        var pos = FilopodiaArgs.Positional(args);
        if (pos.Count != 2) { Console.Error.WriteLine("usage: filopodia-masks LABELS OUTDIR [options]"); return 2; }
        using var mask = FilopodiaArgs.Open(pos[0], args);
        var voxel = mask.Info.VoxelSize ?? throw new InvalidOperationException("no voxel size");
        using var cellMask = FilopodiaArgs.Value(args, "--cell-mask") is { } cp ? MaskStreams.FromReader(VolumeIO.OpenRead(cp), ForegroundRule.NonZero) : null;
        var (cells, protrusions) = FilopodiaAnalysis.Masks(mask, voxel, FilopodiaArgs.Options(args), cellMask: cellMask);
        Directory.CreateDirectory(pos[1]);
        foreach (var (name, stream) in new[] { ("cells.mrc", cells), ("protrusions.mrc", protrusions) })
        {
            using var w = VolumeIO.Create(Path.Combine(pos[1], name), stream.Info with { Type = VoxelType.UInt8, VoxelSize = voxel });
            var buf = new byte[stream.Info.SliceLength];
            stream.Reset();
            for (int z = 0; z < stream.Info.Nz; z++) { stream.ReadNext(buf); w.WriteSlice<byte>(buf); }
            w.Commit();
        }
        return 0;
    }
}
