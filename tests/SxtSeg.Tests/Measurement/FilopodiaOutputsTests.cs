using System.Globalization;
using System.Text.Json.Nodes;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The filopodia tables, summary and JSON on a result of two hand-placed filopodia (the analysed rod,
/// and a copy 100 nm longer), against hand-computed means, SDs, counts and rows (milliseconds).
/// </summary>
public sealed class FilopodiaOutputsTests
{
    private static (FilopodiaResult Result, Filopodium F, Filopodium G) TwoRods(bool secondInSummary = true)
    {
        var (crop, volume, _) = FilopodiumAnalyzerPartsTests.BodyAndRod(4, 5);
        var f = FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions()).Outcome.Filopodium! with { Id = 1 };
        var g = f with { Id = 2, LengthNm = f.LengthNm + 100, InSummary = secondInSummary, CutByFieldOfView = !secondInSummary };
        var counts = new FilopodiaCounts(Candidates: 7, Detached: 1, TooShort: 2, TooThin: 1, TooWide: 0, CutByFieldOfView: secondInSummary ? 0 : 1, NearBead: 0, InSummary: secondInSummary ? 2 : 1);
        var result = new FilopodiaResult(new[] { f, g }, counts, volume, VoxelSize.Isotropic(10), new FilopodiaOptions(), "a test rule", 1000);
        return (result, f, g);
    }

    [Fact]
    public void TheSummaryIsTheMeanAndSampleSdOverTheFilopodiaInTheSummary()
    {
        var (result, f, _) = TwoRods();
        var rows = FilopodiaOutputs.Summary(result);
        Assert.Equal(13, rows.Count);
        var length = rows.Single(r => r.Measure == "Length (base to tip)").Stats;
        // lengths L and L + 100: mean L + 50, sample SD √((50² + 50²) / 1) = 70.71
        Assert.Equal(2, length.N);
        Assert.Equal(f.LengthNm + 50, length.Mean, 9);
        Assert.Equal(Math.Sqrt(5000), length.Sd, 9);
        var volume = rows.Single(r => r.Measure == "Volume").Stats;
        Assert.Equal((f.VolumeNm3, 0.0), (volume.Mean, volume.Sd));
        Assert.Equal("nm³", rows.Single(r => r.Measure == "Volume").Unit);
        // with the second left out (cut by the field of view) only the first counts
        var (one, _, _) = TwoRods(secondInSummary: false);
        var alone = FilopodiaOutputs.Summary(one).Single(r => r.Measure == "Length (base to tip)").Stats;
        Assert.Equal((1, f.LengthNm), (alone.N, alone.Mean));
    }

    [Fact]
    public void TheTableHasOneRowPerFilopodiumInTheDeclaredColumns()
    {
        var (result, f, g) = TwoRods(secondInSummary: false);
        var lines = FilopodiaOutputs.FilopodiaCsv(result, new Provenance("test")).TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(FilopodiaOutputs.Columns.Length, lines[0].Split(',').Length);
        var row = lines[2].Split(',');
        Assert.Equal(FilopodiaOutputs.Columns.Length, row.Length);
        string At(string column) => row[Array.IndexOf(FilopodiaOutputs.Columns, column)];
        Assert.Equal(("2", "0", "1", "0"), (At("filopodium_id"), At("in_summary"), At("cut_by_fov"), At("near_bead")));
        Assert.Equal(g.LengthNm, double.Parse(At("length [nm]"), CultureInfo.InvariantCulture), 3);
        Assert.Equal(f.Measures.Voxels.ToString(CultureInfo.InvariantCulture), At("voxels"));
        Assert.Equal(("5", "29"), (At("bbox_x0 [voxel]"), At("bbox_x1 [voxel]")));
        Assert.Equal("9", At("slices"));
        // and slices.csv holds each filopodium's 9 cross-sections
        Assert.Equal(1 + 18, FilopodiaOutputs.SlicesCsv(result, new Provenance("test")).TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void TheCountsSentenceSaysWhatWasFoundAndLeftOut()
    {
        var (result, _, _) = TwoRods(secondInSummary: false);
        string s = FilopodiaOutputs.CountsSentence(result);
        Assert.StartsWith("3 filopodia found, 1 in the summary; left out: 1 cut by the field of view, 0 near gold beads. "
            + "Of 7 protrusions, not filopodia: 1 not attached to a cell, 2 shorter than 200 nm, 1 thinner than 60 nm, 0 wider than 250 nm. ", s);
        Assert.Contains(s, FilopodiaOutputs.SummaryMarkdown(result, "Filopodia"));
        var kept = new FilopodiaResult(result.Filopodia, result.Counts, result.Info, result.VoxelSize, new FilopodiaOptions { ExcludeCutByFieldOfView = false }, "r", 0);
        Assert.Contains("1 cut by the field of view (kept in the summary)", FilopodiaOutputs.CountsSentence(kept));
    }

    [Fact]
    public void TheJsonCarriesCountsOptionsAndEachFilopodium()
    {
        var (result, f, g) = TwoRods(secondInSummary: false);
        var j = JsonNode.Parse(FilopodiaOutputs.Json(result, new Provenance("test")))!;
        Assert.Equal(3, (int)j["counts"]!["filopodia"]!);
        Assert.Equal(7, (int)j["counts"]!["protrusions"]!);
        Assert.Equal(1, (int)j["counts"]!["in_summary"]!);
        Assert.Equal(250, (double)j["options"]!["max_diameter_nm"]!);
        Assert.Equal(1000 * 1000.0, (double)j["cell_volume_nm3"]!);   // 1,000 voxels of 10³ nm³
        Assert.Equal("a test rule", (string?)j["outside_rule"]);
        var list = j["filopodia"]!.AsArray();
        Assert.Equal(2, list.Count);
        Assert.Equal((2, false, true, false), ((int)list[1]!["id"]!, (bool)list[1]!["in_summary"]!, (bool)list[1]!["cut_by_fov"]!, (bool)list[1]!["near_bead"]!));
        Assert.Equal(g.LengthNm, (double)list[1]!["length_nm"]!, 9);
        Assert.Equal(f.TipNm.X, (double)list[0]!["tip_nm"]![0]!, 9);
    }

    [Fact]
    public void TheHeadersSummaryRowsAndJsonKeysAreTheDocumentedOnes()
    {
        // Golden: users' scripts read these names (docs/filopodia.md)
        var (result, _, _) = TwoRods();
        Assert.Equal("filopodium_id,in_summary,cut_by_fov,near_bead,voxels,volume [nm^3],surface_area [nm^2],base_area [nm^2],closed_surface_area [nm^2],"
            + "surface_to_volume [1/um],length [nm],diameter [nm],major_axis [nm],second_axis [nm],third_axis [nm],"
            + "base_x [nm],base_y [nm],base_z [nm],tip_x [nm],tip_y [nm],tip_z [nm],centroid_x [nm],centroid_y [nm],centroid_z [nm],"
            + "bbox_x0 [voxel],bbox_y0 [voxel],bbox_z0 [voxel],bbox_x1 [voxel],bbox_y1 [voxel],bbox_z1 [voxel],slices,"
            + "area_2d_mean [nm^2],area_2d_sd [nm^2],first_axis_2d_mean [nm],first_axis_2d_sd [nm],second_axis_2d_mean [nm],second_axis_2d_sd [nm],"
            + "perimeter_2d_mean [nm],perimeter_2d_sd [nm],eccentricity_2d_mean,eccentricity_2d_sd",
            FilopodiaOutputs.FilopodiaCsv(result, new Provenance("test")).Split('\n')[0]);
        Assert.Equal(new[]
        {
            "2D|Cross-section area|nm²", "2D|First axis length|nm", "2D|Second axis length|nm", "2D|Perimeter|nm", "2D|Eccentricity|",
            "3D|Volume|nm³", "3D|Surface area|nm²", "3D|Surface-to-volume ratio|1/µm", "3D|Major axis length|nm", "3D|Second axis length|nm",
            "3D|Third axis length|nm", "3D|Length (base to tip)|nm", "3D|Mean diameter|nm",
        }, FilopodiaOutputs.Summary(result).Select(r => $"{r.Section}|{r.Measure}|{r.Unit}").ToArray());
        // each summary row is the mean of its own measure (the two rods differ only in length: every other SD is 0)
        var (_, f, _) = TwoRods();
        var rows = FilopodiaOutputs.Summary(result).ToDictionary(r => r.Section + " " + r.Measure, r => r.Stats);
        Assert.Equal(f.Measures.Area2D.Mean, rows["2D Cross-section area"].Mean, 9);
        Assert.Equal(f.Measures.FirstAxis2D.Mean, rows["2D First axis length"].Mean, 9);
        Assert.Equal(f.Measures.SecondAxis2D.Mean, rows["2D Second axis length"].Mean, 9);
        Assert.Equal(f.Measures.Perimeter2D.Mean, rows["2D Perimeter"].Mean, 9);
        Assert.Equal(f.Measures.Eccentricity2D.Mean, rows["2D Eccentricity"].Mean, 9);
        Assert.Equal(f.SurfaceAreaNm2, rows["3D Surface area"].Mean, 9);
        Assert.Equal(f.SurfaceToVolumePerUm, rows["3D Surface-to-volume ratio"].Mean, 9);
        Assert.Equal(f.Measures.MajorAxisNm, rows["3D Major axis length"].Mean, 9);
        Assert.Equal(f.Measures.SecondAxisNm, rows["3D Second axis length"].Mean, 9);
        Assert.Equal(f.Measures.ThirdAxisNm, rows["3D Third axis length"].Mean, 9);
        Assert.Equal(f.DiameterNm, rows["3D Mean diameter"].Mean, 9);
        Assert.All(rows.Where(r => r.Key != "3D Length (base to tip)"), r => Assert.Equal((2, 0.0), (r.Value.N, r.Value.Sd)));
        // filopodia.json's keys
        var j = JsonNode.Parse(FilopodiaOutputs.Json(result, new Provenance("test")))!.AsObject();
        Assert.Equal(new[] { "provenance", "definitions", "voxel_size_nm", "options", "outside_rule", "cell_volume_nm3", "counts", "filopodia" }, j.Select(p => p.Key).ToArray());
        Assert.Equal(new[] { "max_diameter_nm", "min_diameter_nm", "min_length_nm", "close", "max_membrane_thickness_nm", "exclude_cut_by_fov", "bead_distance_nm", "smooth" },
            j["options"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(new[] { "id", "in_summary", "cut_by_fov", "near_bead", "volume_nm3", "surface_area_nm2", "length_nm", "diameter_nm", "base_nm", "tip_nm" },
            j["filopodia"]![0]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(new[] { 10.0, 10, 10 }, j["voxel_size_nm"]!.AsArray().Select(x => (double)x!).ToArray());
        var first = j["filopodia"]![0]!;
        Assert.Equal((f.VolumeNm3, f.SurfaceAreaNm2, f.DiameterNm), ((double)first["volume_nm3"]!, (double)first["surface_area_nm2"]!, (double)first["diameter_nm"]!));
        Assert.Equal(new[] { f.BaseNm.X, f.BaseNm.Y, f.BaseNm.Z }, first["base_nm"]!.AsArray().Select(x => (double)x!).ToArray());
        Assert.Equal((1, true, false, false), ((int)first["id"]!, (bool)first["in_summary"]!, (bool)first["cut_by_fov"]!, (bool)first["near_bead"]!));
        Assert.Equal((200.0, 60.0, 1, 80.0, true, 50.0, 10), ((double)j["options"]!["min_length_nm"]!, (double)j["options"]!["min_diameter_nm"]!,
            (int)j["options"]!["close"]!, (double)j["options"]!["max_membrane_thickness_nm"]!, (bool)j["options"]!["exclude_cut_by_fov"]!,
            (double)j["options"]!["bead_distance_nm"]!, (int)j["options"]!["smooth"]!));
        Assert.NotNull(j["definitions"]);
        Assert.Equal("test", (string?)j["provenance"]!["command"]);
    }
}
