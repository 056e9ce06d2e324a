using System.Text;
using SxtSeg.Measurement;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The measurement tables as users' scripts read them: column names (a golden interface), a box's
/// row and summary with hand-computed values, the mean ± SD format and what measure.json lists.
/// </summary>
public sealed class MeasurementTablesTests
{
    /// <summary>A 4 × 3 × 2-voxel box at x 3–6, y 2–4, z 4–5 of a 10³ volume, 10 nm voxels, measured.</summary>
    private static MeasurementResult Box()
    {
        var m = new Volume<byte>(10, 10, 10, VoxelSize.Isotropic(10));
        for (int z = 4; z <= 5; z++)
            for (int y = 2; y <= 4; y++)
                for (int x = 3; x <= 6; x++)
                    m[z, y, x] = 1;
        return ObjectMeasurer.Measure(ConnectedComponents.Analyze(MaskStreams.FromVolume(m)));
    }

    [Fact]
    public void CsvHeadersAreTheDocumentedColumns()
    {
        // Scripts select columns by these names: any change breaks them.
        const string objects = "object_id,voxels,volume [nm^3],mesh_volume [nm^3],surface_area [nm^2],surface_to_volume [1/um],sphericity,"
            + "centroid_x [nm],centroid_y [nm],centroid_z [nm],"
            + "bbox_x0 [voxel],bbox_y0 [voxel],bbox_z0 [voxel],bbox_x1 [voxel],bbox_y1 [voxel],bbox_z1 [voxel],touches_border,"
            + "major_axis [nm],second_axis [nm],third_axis [nm],major_extent [nm],second_extent [nm],third_extent [nm],"
            + "major_dir_x,major_dir_y,major_dir_z,"
            + "slices,area_2d_mean [nm^2],area_2d_sd [nm^2],perimeter_2d_mean [nm],perimeter_2d_sd [nm],"
            + "first_axis_2d_mean [nm],first_axis_2d_sd [nm],second_axis_2d_mean [nm],second_axis_2d_sd [nm],"
            + "eccentricity_2d_mean,eccentricity_2d_sd,"
            + "first_extent_2d_mean [nm],first_extent_2d_sd [nm],second_extent_2d_mean [nm],second_extent_2d_sd [nm],surface_resolved";
        Assert.Equal(objects, MeasurementTables.ObjectsCsv(Box()).Split('\n')[0]);
        Assert.Equal("object_id,z [slice],pixels,area [nm^2],perimeter [nm],first_axis [nm],second_axis [nm],eccentricity,"
            + "first_extent [nm],second_extent [nm],centroid_x [nm],centroid_y [nm]\n", MeasurementTables.SliceCsvHeader());
    }

    [Fact]
    public void TheBoxRowHoldsItsHandComputedValues()
    {
        var lines = MeasurementTables.ObjectsCsv(Box()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var header = lines[0].Split(',');
        var cells = lines[1].Split(',');
        Assert.Equal(header.Length, cells.Length);
        string Cell(string column) => cells[Array.IndexOf(header, column)];
        Assert.Equal("1", Cell("object_id"));
        Assert.Equal("24", Cell("voxels"));
        Assert.Equal("24000", Cell("volume [nm^3]"));               // 24 voxels × 1000 nm³
        Assert.Equal(("3", "2", "4"), (Cell("bbox_x0 [voxel]"), Cell("bbox_y0 [voxel]"), Cell("bbox_z0 [voxel]")));
        Assert.Equal(("6", "4", "5"), (Cell("bbox_x1 [voxel]"), Cell("bbox_y1 [voxel]"), Cell("bbox_z1 [voxel]")));
        Assert.Equal("0", Cell("touches_border"));
        Assert.Equal("2", Cell("slices"));
        Assert.Equal("1200", Cell("area_2d_mean [nm^2]"));          // 4 × 3 pixels × 100 nm² in each slice
        Assert.Equal("0", Cell("area_2d_sd [nm^2]"));               // the two slices are equal
    }

    [Fact]
    public void TheSummaryHasThePapersRowsAndTheBoxsValues()
    {
        var box = Box();
        var lines = MeasurementTables.SummaryCsv(box).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("section,measure,unit,mean,sd,n,mean +/- sd", lines[0]);
        // the rows of Table S1, in its order, ASCII units
        var names = lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(3))).ToArray();
        Assert.Equal(new[]
        {
            "2D,Cross-section area,nm^2", "2D,First axis length,nm", "2D,Second axis length,nm", "2D,Perimeter,nm", "2D,Eccentricity,",
            "3D,Volume,nm^3", "3D,Surface area,nm^2", "3D,Surface-to-volume ratio,1/um", "3D,Major axis length,nm",
            "3D,Second axis length,nm", "3D,Third axis length,nm", "3D,Sphericity,",
        }, names);
        // one object: no SD (empty cell, "-" in the text column)
        Assert.Equal("2D,Cross-section area,nm^2,1200,,1,1200 +/- -", lines[1]);
        Assert.Equal("3D,Volume,nm^3,24000,,1,24000 +/- -", lines[6]);

        string md = MeasurementTables.SummaryMarkdown(box, "Box");
        Assert.StartsWith("## Box\n\n| Measure | Mean ± SD | n |\n|---|---|---|\n| **2D (cross-sections; per-object mean over its slices)** | | |\n"
            + "| Cross-section area (nm²) | 1200 ± – | 1 |\n", md);
        Assert.Contains("| **3D** | | |\n| Volume (nm³) | 24000 ± – | 1 |\n", md);
        Assert.Contains("| Eccentricity | ", md);   // no unit, no brackets
        Assert.Contains(" 1 objects; 0 excluded by size, 0 touching the volume's faces excluded.", md);
    }

    [Theory]
    [InlineData(133.4, 28.2, 5, "133 ± 28")]
    [InlineData(-250.0, 10.0, 5, "-250 ± 10")]
    [InlineData(12.34, 1.26, 5, "12.3 ± 1.3")]
    [InlineData(4.567, 0.123, 5, "4.57 ± 0.12")]
    [InlineData(0.62, 0.11, 5, "0.620 ± 0.110")]
    [InlineData(99999.0, 5.0, 5, "99999 ± 5")]
    [InlineData(23_100_000.0, 4_500_000.0, 5, "(2.31 ± 0.45) × 10^7")]
    [InlineData(100_000.0, 20_000.0, 5, "(1.00 ± 0.20) × 10^5")]
    [InlineData(5.0, double.NaN, 1, "5.00 ± –")]
    [InlineData(3e6, double.NaN, 1, "(3.00 ± –) × 10^6")]
    [InlineData(double.NaN, double.NaN, 0, "–")]
    [InlineData(7.0, 1.0, 0, "–")]
    public void MeanAndSdAreFormattedByTheirSize(double mean, double sd, int n, string expected)
        => Assert.Equal(expected, MeasurementTables.FormatMeanSd(new MeanSd(mean, sd, n)));

    [Fact]
    public void TheSidecarListsTheFilesWrittenAndTheCounts()
    {
        var box = Box();
        var plain = MeasurementTables.Sidecar(box, new Provenance("measure"), "labels as given", slicesWritten: false);
        Assert.Equal(1, (int)plain["objects"]!);
        Assert.Equal(0, (int)plain["excluded_by_size"]!);
        Assert.Equal(0, (int)plain["excluded_touching_border"]!);
        Assert.Equal("labels as given", (string)plain["labels"]!);
        Assert.Equal(new[] { 10.0, 10.0, 10.0 }, plain["voxel_size_nm"]!.AsArray().Select(v => (double)v!).ToArray());
        Assert.Equal(new[] { "objects.csv", "summary.csv", "summary.md" }, plain["files"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.StartsWith("voxel size ", (string)plain["method"]!);
        Assert.Contains("volume = voxels × voxel volume", (string)plain["method"]!);

        var all = MeasurementTables.Sidecar(box, new Provenance("measure"), "x", slicesWritten: true, truthCompared: true);
        Assert.Equal(new[] { "objects.csv", "summary.csv", "summary.md", "slices.csv", "truth_comparison.csv", "truth_comparison.md" },
            all["files"]!.AsObject().Select(p => p.Key).ToArray());
        var slicesOnly = MeasurementTables.Sidecar(box, new Provenance("measure"), "x", slicesWritten: true);
        Assert.Equal(4, slicesOnly["files"]!.AsObject().Count);
        Assert.False(slicesOnly["files"]!.AsObject().ContainsKey("truth_comparison.csv"));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"x\"", "\"say \"\"x\"\"\"")]
    public void CsvFieldsAreQuotedOnlyWhenNeeded(string field, string expected) => Assert.Equal(expected, MeasurementTables.Quote(field));

    [Fact]
    public void SummaryMarkdownRowsCarryTheirSectionHeadingsOnce()
    {
        var rows = new[]
        {
            new SummaryRow("2D", "A", "nm", new MeanSd(1, 0.5, 2)),
            new SummaryRow("2D", "B", "", new MeanSd(2, 0.5, 2)),
            new SummaryRow("3D", "C", "nm³", new MeanSd(300, 10, 2)),
        };
        var sb = new StringBuilder();
        MeasurementTables.AppendSummaryMarkdown(sb, rows, "T", "Two");
        Assert.Equal("## T\n\n| Measure | Mean ± SD | n |\n|---|---|---|\n| **Two** | | |\n| A (nm) | 1.00 ± 0.50 | 2 |\n| B | 2.00 ± 0.50 | 2 |\n"
            + "| **3D** | | |\n| C (nm³) | 300 ± 10 | 2 |\n", sb.ToString());
    }
}
