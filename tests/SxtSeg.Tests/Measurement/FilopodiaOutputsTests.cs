using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SxtSeg.Imaging;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The filopodia tables, summary and JSON on a result of two hand-placed filopodia (the analysed rod,
/// and a copy 100 nm longer), against hand-computed means, SDs, counts and rows; the files
/// <see cref="FilopodiaOutputs.Write"/> puts in a folder, the label volume of hand-made masks voxel by
/// voxel, and the dot plot and renders by their size, layout and colours (milliseconds each).
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

    /// <summary>
    /// The rod's filopodium with another id and a hand-made mask over <paramref name="box"/>: voxel (x, y, z) of the
    /// volume belongs to it when <paramref name="inside"/> says so.
    /// </summary>
    private static Filopodium WithMask(Filopodium f, int id, VoxelBox box, Func<int, int, int, bool> inside)
    {
        var data = new byte[box.Width * box.Height * box.Depth];
        int i = 0;
        for (int z = box.Z0; z <= box.Z1; z++)
            for (int y = box.Y0; y <= box.Y1; y++)
                for (int x = box.X0; x <= box.X1; x++)
                    data[i++] = inside(x, y, z) ? (byte)1 : (byte)0;
        return f with { Id = id, Mask = new FilopodiumMask(box, data) };
    }

    // Id 1 fills the box x 1–3, y 1–2, z 0–1 (12 voxels); id 2 is a checkerboard over x 4–6, y 3–5, z 2–4 (the 13 voxels
    // with an even x + y + z: some in every row, column and slice of its box).
    private static bool First(int x, int y, int z) => x >= 1 && x <= 3 && y >= 1 && y <= 2 && z <= 1;

    private static bool Second(int x, int y, int z) => x >= 4 && y >= 3 && z >= 2 && (x + y + z) % 2 == 0;

    /// <summary>Two filopodia with the masks <see cref="First"/> and <see cref="Second"/> in a 7 × 6 × 5 volume of 10 × 12 × 15 nm voxels, origin (100, −60, 30) nm.</summary>
    private static FilopodiaResult HandMasks()
    {
        var (_, f, _) = TwoRods();
        var voxel = new VoxelSize(10, 12, 15);
        var info = new VolumeInfo(7, 6, 5, VoxelType.UInt8, voxel) { OriginNm = (100, -60, 30) };
        var a = WithMask(f, 1, new VoxelBox(1, 1, 0, 3, 2, 1), First);
        var b = WithMask(f, 2, new VoxelBox(4, 3, 2, 6, 5, 4), Second);
        return new FilopodiaResult(new[] { a, b }, new FilopodiaCounts(2, 0, 0, 0, 0, 0, 0, 2), info, voxel, new FilopodiaOptions(), "r", 0);
    }

    [Fact]
    public void TheLabelVolumeHoldsEachFilopodiumsIdOnItsVoxels()
    {
        // Given two filopodia of hand-made masks in a 7 × 6 × 5 volume
        var result = HandMasks();
        using var tmp = new TempDir();
        // When the label volume is written
        FilopodiaOutputs.WriteLabels(result, tmp.File("filopodia.mrc"), new Provenance("test"));
        // Then it is a uint16 volume of the labels' shape, voxel size and origin
        using (var r = VolumeIO.OpenRead(tmp.File("filopodia.mrc")))
        {
            Assert.Equal((7, 6, 5, VoxelType.UInt16), (r.Info.Nx, r.Info.Ny, r.Info.Nz, r.Info.Type));
            Assert.Equal(new VoxelSize(10, 12, 15), r.Info.VoxelSize);
            Assert.Equal((100.0, -60.0, 30.0), r.Info.OriginNm);
        }
        // with each filopodium's id on its voxels and 0 everywhere else
        var labels = VolumeIO.Read<ushort>(tmp.File("filopodia.mrc"));
        int ones = 0, twos = 0;
        for (int z = 0; z < 5; z++)
            for (int y = 0; y < 6; y++)
                for (int x = 0; x < 7; x++)
                {
                    int expected = First(x, y, z) ? 1 : Second(x, y, z) ? 2 : 0;
                    Assert.True(expected == labels[z, y, x], $"({x}, {y}, {z}) is {labels[z, y, x]}, expected {expected}");
                    if (expected == 1) ones++;
                    if (expected == 2) twos++;
                }
        Assert.Equal((12, 13), (ones, twos));
    }

    [Fact]
    public void AtMost65535FilopodiaFitTheUInt16LabelVolume()
    {
        // Given 65,535 (one-voxel) filopodia, the last id a uint16 holds, and then one more
        var (_, f, _) = TwoRods();
        var last = WithMask(f, ushort.MaxValue, new VoxelBox(0, 0, 0, 0, 0, 0), (_, _, _) => true);
        var info = new VolumeInfo(1, 1, 1, VoxelType.UInt8, VoxelSize.Isotropic(10));
        FilopodiaResult Of(int n) => new(Enumerable.Repeat(last, n).ToList(), new FilopodiaCounts(n, 0, 0, 0, 0, 0, 0, n), info, VoxelSize.Isotropic(10), new FilopodiaOptions(), "r", 0);
        using var tmp = new TempDir();
        // When / Then 65,535 are written, the id intact
        FilopodiaOutputs.WriteLabels(Of(ushort.MaxValue), tmp.File("max.mrc"), new Provenance("test"));
        Assert.Equal(ushort.MaxValue, VolumeIO.Read<ushort>(tmp.File("max.mrc"))[0, 0, 0]);
        // and 65,536 are refused, naming the file, before anything is written
        var e = Assert.Throws<OutputException>(() => FilopodiaOutputs.WriteLabels(Of(ushort.MaxValue + 1), tmp.File("over.mrc"), new Provenance("test")));
        Assert.Equal(tmp.File("over.mrc") + ": more than 65535 filopodia do not fit a uint16 label volume", e.Message);
        Assert.False(File.Exists(tmp.File("over.mrc")));
    }

    /// <summary>The tEXt chunks (keyword → text) of a PNG.</summary>
    private static Dictionary<string, string> PngText(byte[] png)
    {
        var text = new Dictionary<string, string>();
        for (int pos = 8; pos + 8 <= png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (Encoding.ASCII.GetString(png, pos + 4, 4) == "tEXt")
            {
                string chunk = Encoding.Latin1.GetString(png, pos + 8, length);
                int nul = chunk.IndexOf('\0');
                text[chunk[..nul]] = chunk[(nul + 1)..];
            }
            pos += 12 + length;
        }
        return text;
    }

    private static string[] Written(TempDir tmp, FilopodiaResult result, FilopodiaOutputOptions? options)
    {
        using (var folder = OutputFolder.Create(tmp.File("out")))
        {
            FilopodiaOutputs.Write(result, folder, new Provenance("test"), options);
            folder.Commit();
        }
        return Directory.GetFiles(tmp.File("out")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;
    }

    [Fact]
    public void WriteFillsTheFolderWithTheTablesTheDotPlotAndTheRenderButNoLabelsByDefault()
    {
        // Given two rods, the second cut by the field of view
        var (result, _, _) = TwoRods(secondInSummary: false);
        using var tmp = new TempDir();
        // When every output is written with the default options
        var names = Written(tmp, result, null);
        // Then the folder holds the documented files (docs/filopodia.md) and no label volume
        Assert.Equal(new[] { "dotplot.png", "filopodia.csv", "filopodia.json", "filopodia.png", "slices.csv", "summary.csv", "summary.md" }, names);
        string Text(string name) => File.ReadAllText(Path.Combine(tmp.File("out"), name));
        // each holding what its name says: a row per filopodium, a row per cross-section (9 slices each), 13 summary rows
        var table = Text("filopodia.csv").TrimEnd('\n').Split('\n');
        Assert.Equal(3, table.Length);
        Assert.StartsWith("filopodium_id,in_summary,cut_by_fov,", table[0]);
        Assert.StartsWith("2,0,1,0,", table[2]);
        var slices = Text("slices.csv").TrimEnd('\n').Split('\n');
        Assert.Equal(1 + 18, slices.Length);
        Assert.StartsWith("object_id,z [slice],pixels,", slices[0]);
        var summary = Text("summary.csv").TrimEnd('\n').Split('\n');
        Assert.Equal(1 + 13, summary.Length);
        Assert.Equal("section,measure,unit,mean,sd,n,mean +/- sd", summary[0]);
        Assert.StartsWith("2D,Cross-section area,", summary[1]);
        string md = Text("summary.md");
        Assert.StartsWith("## Filopodia\n\n| Measure | Mean ± SD | n |\n", md);
        Assert.Contains("\n3 filopodia found, 1 in the summary; left out: 1 cut by the field of view,", md);
        string json = Text("filopodia.json");
        Assert.EndsWith("}\n", json);
        Assert.Equal(3, (int)JsonNode.Parse(json)!["counts"]!["filopodia"]!);
        // the dot plot: two rows of three 300 × 360 panels; the render: two 900 × 700 views, with the tool and provenance in it
        byte[] dots = File.ReadAllBytes(Path.Combine(tmp.File("out"), "dotplot.png")), render = File.ReadAllBytes(Path.Combine(tmp.File("out"), "filopodia.png"));
        var (dw, dh, _, _) = Png.Decode(dots);
        Assert.Equal((900, 720), (dw, dh));
        var (rw, rh, _, _) = Png.Decode(render);
        Assert.Equal((1800, 700), (rw, rh));
        var text = PngText(render);
        Assert.Equal(new[] { "Provenance", "Software" }, text.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("sxtseg " + ToolInfo.Version, text["Software"]);
        Assert.Equal("test", (string?)JsonNode.Parse(text["Provenance"])!["command"]);
    }

    [Fact]
    public void WriteLeavesOutThePlotAndRenderAndAddsTheLabelVolumeWhenAsked()
    {
        // Given two filopodia of hand-made masks
        var result = HandMasks();
        using var tmp = new TempDir();
        // When written without the dot plot and the render, with the label volume
        var names = Written(tmp, result, new FilopodiaOutputOptions { DotPlot = false, Render = false, Labels = true });
        // Then the tables and filopodia.mrc are there, and it is the label volume
        Assert.Equal(new[] { "filopodia.csv", "filopodia.json", "filopodia.mrc", "slices.csv", "summary.csv", "summary.md" }, names);
        var labels = VolumeIO.Read<ushort>(Path.Combine(tmp.File("out"), "filopodia.mrc"));
        Assert.Equal((1, 2, 0), (labels[0, 1, 1], labels[2, 3, 5], labels[2, 3, 4]));
    }

    [Fact]
    public void NumbersHaveSevenSignificantDigitsAndMissingOrInfiniteOnesAreEmptyCells()
    {
        // Given a rod 1234.56789 nm long and one with no length, an infinite diameter and a base area of −∞
        var (result, f, g) = TwoRods();
        var odd = new FilopodiaResult(new[] { f with { LengthNm = 1234.56789 }, g with { LengthNm = double.NaN, DiameterNm = double.PositiveInfinity, BaseAreaNm2 = double.NegativeInfinity } },
            result.Counts, result.Info, result.VoxelSize, result.Options, "r", 0);
        // When tabled
        var lines = FilopodiaOutputs.FilopodiaCsv(odd, new Provenance("test")).TrimEnd('\n').Split('\n');
        string At(int line, string column) => lines[line].Split(',')[Array.IndexOf(FilopodiaOutputs.Columns, column)];
        // Then
        Assert.Equal("1234.568", At(1, "length [nm]"));
        Assert.Equal(("", "", ""), (At(2, "length [nm]"), At(2, "diameter [nm]"), At(2, "base_area [nm^2]")));
        Assert.Equal(FilopodiaOutputs.Columns.Length, lines[2].Split(',').Length);
    }

    private static (byte R, byte G, byte B) Pixel(byte[] rgb, int w, int x, int y) => (rgb[(y * w + x) * 3], rgb[(y * w + x) * 3 + 1], rgb[(y * w + x) * 3 + 2]);

    [Fact]
    public void TheDotPlotHasSixPanelsInTwoRowsOfThreeWithTheFilopodiaOfTheSummaryAsDots()
    {
        // Given the two rods in the summary, and the same with neither in it
        var (result, _, _) = TwoRods();
        var none = new FilopodiaResult(result.Filopodia.Select(x => x with { InSummary = false }).ToList(), result.Counts, result.Info, result.VoxelSize, result.Options, "r", 0);
        // When plotted in panels of 200 × 150
        var (w, h, ch, px) = Png.Decode(FilopodiaOutputs.DotPlot(result, 200, 150));
        var (_, _, _, empty) = Png.Decode(FilopodiaOutputs.DotPlot(none, 200, 150));
        // Then the image is 3 × 2 panels, each of them drawn (white at its corners, not the black of an empty image)
        Assert.Equal((600, 300, 3), (w, h, ch));
        // and each shows dots in the plot's blue (#1f77b4, hue 205°); without filopodia in the summary none
        for (int p = 0; p < 6; p++)
        {
            int ox = p % 3 * 200, oy = p / 3 * 150;
            foreach (var image in new[] { px, empty })
            {
                Assert.Equal(((byte)255, (byte)255, (byte)255), Pixel(image, w, ox + 1, oy + 1));
                Assert.Equal(((byte)255, (byte)255, (byte)255), Pixel(image, w, ox + 198, oy + 148));
            }
            Assert.True(OfHue(px, w, ox, oy, ox + 200, oy + 150, Blue).Count >= 20, $"panel {p}: no dots");
            Assert.Equal(0, OfHue(empty, w, ox, oy, ox + 200, oy + 150, Blue).Count);
        }
    }

    private static readonly Rgb Blue = new(0x1f, 0x77, 0xb4);

    private static double Hue((byte R, byte G, byte B) c)
    {
        double r = c.R, g = c.G, b = c.B, max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        if (max - min < 40) return -1;   // grey, or nearly
        double hue = max == r ? (g - b) / (max - min) : max == g ? 2 + (b - r) / (max - min) : 4 + (r - g) / (max - min);
        return (hue * 60 + 360) % 360;
    }

    /// <summary>Pixels of the box (x0, y0)–(x1, y1) (exclusive) whose hue is within 15° of <paramref name="colour"/>'s.</summary>
    private static (int Count, int X0, int X1, int Y0, int Y1) OfHue(byte[] rgb, int w, int x0, int y0, int x1, int y1, Rgb colour)
    {
        double want = Hue((colour.R, colour.G, colour.B));
        int n = 0, bx0 = int.MaxValue, bx1 = -1, by0 = int.MaxValue, by1 = -1;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                double hue = Hue(Pixel(rgb, w, x, y));
                if (hue < 0 || Math.Min(Math.Abs(hue - want), 360 - Math.Abs(hue - want)) > 15) continue;
                n++;
                bx0 = Math.Min(bx0, x); bx1 = Math.Max(bx1, x); by0 = Math.Min(by0, y); by1 = Math.Max(by1, y);
            }
        return (n, bx0, bx1, by0, by1);
    }

    [Fact]
    public void TheRenderShowsTheFilopodiumFromAboveAndObliquelyInItsColourAndGreyWhenLeftOut()
    {
        // Given the rod (250 nm along x, 90 nm across) in the summary, and left out of it
        var (result, f, _) = TwoRods();
        FilopodiaResult Of(Filopodium x) => new(new[] { x }, result.Counts, result.Info, result.VoxelSize, result.Options, "r", 0);
        // When rendered in two panels of 200 × 150 with colour seed 2 (filopodium 1 at hue 77°; seed 1 would give 227°)
        var (w, h, rgb) = FilopodiaOutputs.Render(Of(f), seed: 2, panelWidth: 200, panelHeight: 150);
        var (_, _, grey) = FilopodiaOutputs.Render(Of(f with { InSummary = false }), seed: 2, panelWidth: 200, panelHeight: 150);
        // Then there are two panels side by side
        Assert.Equal((400, 150, 400 * 150 * 3), (w, h, rgb.Length));
        // each showing the rod in the colour of filopodium 1 under seed 2 (the axis triad in the lower right corner left out)
        var colour = MeshColors.ForObject(1, 2);
        var top = OfHue(rgb, w, 0, 0, 200, 100, colour);
        var oblique = OfHue(rgb, w, 200, 0, 400, 100, colour);
        Assert.True(top.Count > 300, $"{top.Count} pixels of the rod's colour from above");
        Assert.True(oblique.Count > 300, $"{oblique.Count} pixels of the rod's colour obliquely");
        // seen from above the rod lies along x: wider than tall
        Assert.True(top.X1 - top.X0 > 2 * (top.Y1 - top.Y0), $"rod from above spans {top.X1 - top.X0} × {top.Y1 - top.Y0} pixels");
        // and when left out of the summary it is grey
        Assert.True(OfHue(grey, w, 0, 0, 400, 100, colour).Count < 10);
    }
}
