using SxtSeg.Evaluation;
using SxtSeg.Morphology;
using SxtSeg.Tests.Cli;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Evaluation;

public sealed class ObjectAndBaselineTests
{
    private static void Box(Volume<byte> v, int x0, int x1, int y0, int y1, int z0, int z1)
    {
        for (int z = z0; z < z1; z++) for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) v[z, y, x] = 1;
    }

    [Fact]
    public void ObjectsAreMatchedSplitMergedMissedAndSpuriousAsDrawn()
    {
        // Given truth objects A (matched), B (split in two by the prediction), C and D (merged into one
        // predicted object), E (missed); and one spurious predicted object
        var t = new Volume<byte>(60, 20, 6);
        var p = new Volume<byte>(60, 20, 6);
        Box(t, 0, 8, 0, 8, 0, 6); Box(p, 0, 8, 0, 7, 0, 6);                         // A: IoU 7/8
        Box(t, 10, 20, 0, 8, 0, 6); Box(p, 10, 14, 0, 8, 0, 6); Box(p, 16, 20, 0, 8, 0, 6); // B split
        Box(t, 22, 26, 0, 8, 0, 6); Box(t, 28, 32, 0, 8, 0, 6); Box(p, 22, 32, 0, 8, 0, 6); // C, D merged
        Box(t, 40, 44, 0, 8, 0, 6);                                                   // E missed
        Box(p, 50, 54, 12, 16, 0, 6);                                                 // spurious
        // When
        var pl = ConnectedComponents.Analyze(MaskStreams.FromVolume(p));
        var tl = ConnectedComponents.Analyze(MaskStreams.FromVolume(t));
        var e = ObjectMatching.Compare(pl, tl);
        // Then
        Assert.Equal(5, e.TruthObjects);
        Assert.Equal(5, e.PredictedObjects);
        Assert.Equal(1, e.Matched);
        Assert.Equal(1, e.Split);
        Assert.Equal(1, e.Merged);
        Assert.Equal(1, e.Missed);
        Assert.Equal(1, e.Spurious);
        Assert.Equal(0.2, e.Recall, 9);
        // and within ±1 voxel only A matches (B's halves: tolerant IoU 216/456; C in the merged box: 216/456)
        Assert.Equal(1, e.MatchedTolerant);
    }

    [Fact]
    public void ThinMembranesTracedOneVoxelAsideMatchWithinTolerance()
    {
        // Given three 1-voxel-thin true sheets (x = 5, 15, 25; y 2..9, z 0..3: 32 voxels each) and their
        // traces: one voxel aside (x = 6), two voxels aside (x = 17), and on the sheet over half its
        // rows (x = 25, y 2..5: 16 voxels)
        var t = new Volume<byte>(32, 12, 4);
        var p = new Volume<byte>(32, 12, 4);
        Box(t, 5, 6, 2, 10, 0, 4); Box(t, 15, 16, 2, 10, 0, 4); Box(t, 25, 26, 2, 10, 0, 4);
        Box(p, 6, 7, 2, 10, 0, 4); Box(p, 17, 18, 2, 10, 0, 4); Box(p, 25, 26, 2, 6, 0, 4);
        // When
        var e = ObjectMatching.Compare(ConnectedComponents.Analyze(MaskStreams.FromVolume(p)), ConnectedComponents.Analyze(MaskStreams.FromVolume(t)));
        // Then no pair has exact IoU > 0.5 (0, 0 and 16/32), but within ±1 the first (32/32) and the
        // third ((16 + 20)/2 = 18 shared: 18/(16 + 32 − 18) = 0.6) match; two voxels aside does not
        Assert.Equal((3, 3, 0), (e.TruthObjects, e.PredictedObjects, e.Matched));
        Assert.Equal(2, e.MatchedTolerant);
        Assert.Equal(2 / 3.0, e.RecallTolerant, 9);
    }

    /// <summary>A tomogram with bright 1-voxel rims (membranes) of circles on a smooth ramp background, and its truth.</summary>
    private static (Volume<float> Tomo, Volume<byte> Truth) Rims()
    {
        var tomo = new Volume<float>(64, 64, 8, VoxelSize.Isotropic(10));
        var truth = new Volume<byte>(64, 64, 8, VoxelSize.Isotropic(10));
        var rng = new Random(4);
        for (int z = 0; z < 8; z++)
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 64; x++)
                {
                    double r = Math.Sqrt((x - 32) * (x - 32) + (y - 32) * (y - 32));
                    bool rim = Math.Abs(r - 20) < 0.7 || Math.Abs(r - 10) < 0.7;
                    tomo[z, y, x] = (float)(x * 0.02 + (rim ? 1.0 : 0) + 0.05 * rng.NextDouble());
                    truth[z, y, x] = rim ? (byte)1 : (byte)0;
                }
        return (tomo, truth);
    }

    [Fact]
    public void AdaptiveBaselineFindsBrightRimsThatOtsuMixesWithTheRamp()
    {
        using var dir = new TempDir();
        var (tomo, truth) = Rims();
        VolumeIO.Write(dir.File("tomo.mrc"), tomo);
        VolumeIO.Write(dir.File("truth.mrc"), truth);
        // a perfect prediction, to compare the baselines with
        var r = EvaluationRun.Run(new EvaluationRequest { Prediction = dir.File("truth.mrc"), Truth = dir.File("truth.mrc"), Tomogram = dir.File("tomo.mrc") },
            dir.File("eval"), new Provenance("evaluate"));
        Assert.Equal(new[] { "network", "Otsu threshold", "adaptive threshold" }, r.Methods.Select(m => m.Name));
        Assert.Equal(1, r.Methods[0].Voxels.Exact.F1);
        double adaptive = r.Methods[2].Voxels.Tolerant.F1, otsu = r.Methods[1].Voxels.Tolerant.F1;
        Assert.True(adaptive > 0.8, $"adaptive F1 {adaptive}");
        Assert.True(adaptive > otsu, $"adaptive {adaptive} vs Otsu {otsu}");
        foreach (string f in new[] { "evaluation.json", "per-slice.csv", "per-slice.png", "baseline-otsu.mrc", "baseline-adaptive.mrc" })
            Assert.True(File.Exists(Path.Combine(dir.File("eval"), f)), f);
        // a plain header first (no comment line for Excel or read.csv); provenance is in evaluation.json
        Assert.StartsWith("method,z,labelled_px,", File.ReadAllText(dir.File("eval/per-slice.csv")));
        Assert.Contains("\"provenance\"", File.ReadAllText(dir.File("eval/evaluation.json")));
    }

    [Fact]
    public void TheBaselinesMinimumVolumeIsRefusedAtAHeaderVoxelSizeNoCryoSxtTomogramHas()
    {
        // Given the rims tomogram with an uncalibrated ImageJ header (1 µm per pixel)
        using var dir = new TempDir();
        var (tomo, truth) = Rims();
        VolumeIO.Write(dir.File("truth.mrc"), truth);
        tomo.VoxelSize = VoxelSize.Isotropic(1000);
        VolumeIO.Write(dir.File("tomo.mrc"), tomo);
        string[] common = { "evaluate", "--pred", dir.File("truth.mrc"), "--truth", dir.File("truth.mrc"), "--tomogram", dir.File("tomo.mrc"), "--no-objects" };
        // When the baselines get a minimum volume in nm³: refused with the header's size, nothing written
        var refused = CliRunner.Run(common.Concat(new[] { "--min-volume", "1e6", "--out", dir.File("a") }).ToArray());
        Assert.NotEqual(0, refused.ExitCode);
        Assert.StartsWith("sxtseg: error: --min-volume: ", refused.Err.TrimStart());
        Assert.Contains("1000 nm per voxel is not a cryo-SXT voxel size", refused.Err);
        Assert.Contains("--min-voxels", refused.Err);
        Assert.False(Directory.Exists(dir.File("a")));
        // A minimum in voxels, or a volume at a cryo-SXT header, runs
        var voxels = CliRunner.Run(common.Concat(new[] { "--min-voxels", "5", "--min-volume", "0", "--out", dir.File("b") }).ToArray());
        Assert.True(voxels.ExitCode == 0, voxels.Err);
        tomo.VoxelSize = VoxelSize.Isotropic(10);
        VolumeIO.Write(dir.File("tomo.mrc"), tomo);
        var nm3 = CliRunner.Run(common.Concat(new[] { "--min-volume", "1e6", "--out", dir.File("c") }).ToArray());
        Assert.True(nm3.ExitCode == 0, nm3.Err);
    }

    /// <summary>Empty truth and empty prediction (a slab of ice): every undefined ratio is written as JSON null, not a crash.</summary>
    [Fact]
    public void EmptyTruthAndPredictionWriteNullsForUndefinedRatios()
    {
        using var dir = new TempDir();
        var empty = new Volume<byte>(24, 24, 4, VoxelSize.Isotropic(10));
        VolumeIO.Write(dir.File("empty.mrc"), empty);
        var r = EvaluationRun.Run(new EvaluationRequest { Prediction = dir.File("empty.mrc"), Truth = dir.File("empty.mrc") },
            dir.File("eval"), new Provenance("evaluate"));
        Assert.Equal(1, r.Methods[0].Voxels.Tolerant.F1);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("eval/evaluation.json")))!;
        var paper = json["methods"]![0]!["paper_protocol_exact_percent"]!;
        Assert.Null(paper["tp_mean"]);
        Assert.Equal(0, (int)paper["slices"]!);
    }

    [Fact]
    public void EvaluateCommandPrintsTablesAndRejectsSizeMismatch()
    {
        using var dir = new TempDir();
        var (_, truth) = Rims();
        VolumeIO.Write(dir.File("truth.mrc"), truth);
        var shifted = truth.Clone();
        Array.Copy(truth.Data, 0, shifted.Data, 1, truth.Data.Length - 1); // one voxel to the right
        VolumeIO.Write(dir.File("pred.tif"), shifted);
        var ok = CliRunner.Run("evaluate", "--pred", dir.File("pred.tif"), "--truth", dir.File("truth.mrc"), "--tolerance", "1", "--no-objects", "--out", dir.File("ev"));
        Assert.True(ok.ExitCode == 0, ok.Err);
        // The printed table shows the computed scores: a one-voxel shift is (nearly) perfect within ±1 and
        // the exact precision is what the counts say (checked against the JSON written by the same run)
        var net = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir.File("ev/evaluation.json")))!["methods"]![0]!;
        double tp = (double)net["exact"]!["tp"]!, fp = (double)net["exact"]!["fp"]!;
        Assert.True((double)net["tolerant"]!["precision"]! > 0.99);
        Assert.True((double)net["tolerant"]!["recall"]! > 0.99);
        string row = ok.Out.Split('\n').First(l => l.Contains("network"));
        Assert.Contains((100 * tp / (tp + fp)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), row);
        Assert.Contains((100 * (double)net["tolerant"]!["recall"]!).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), row);
        Assert.Contains("Paper protocol", ok.Out);
        VolumeIO.Write(dir.File("small.mrc"), new Volume<byte>(10, 10, 2));
        var bad = CliRunner.Run("evaluate", "--pred", dir.File("small.mrc"), "--truth", dir.File("truth.mrc"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("small.mrc", bad.Err);
    }
}
