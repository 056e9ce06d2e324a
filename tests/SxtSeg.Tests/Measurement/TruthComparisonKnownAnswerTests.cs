using SxtSeg.Measurement;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// <see cref="TruthComparison"/> on a hand-made truth.json and hand-made measurements, every CSV
/// cell and Markdown row worked out by hand (relative error = measured / true − 1):
/// <list type="bullet">
/// <item>3 "mito", kind <c>long, thin</c>: volume 1000 → 1100 (+0.1), area 500 → 450 (−0.1), axes given
///   unordered as 100, 300, 200 (sorted 300, 200, 100) → 330, 140, 105 (+0.1, −0.3, +0.05);</item>
/// <item>4 "mito", kind <c>"odd"</c>: 2000 → 1500 (−0.25), 800 → 1000 (+0.25), two axes 400, 100 → 480, 140
///   (+0.2, +0.4), the third measured (50) but without truth;</item>
/// <item>6 "er", sheet: 500 → 600 (+0.2), 1000 → 1150 (+0.15), axes 50, 0 → 55 (+0.1), 20 (no error:
///   a zero true axis), no third;</item>
/// <item>7 "er", cut by the field of view (listed, not compared);</item>
/// <item>8: no class, kind, axes or cut flag, inside 9, no voxels;</item>
/// <item>9 "cell": encloses 8 (listed, not compared).</item>
/// </list>
/// Comparable: 3, 4, 6. Medians of |error|: er volume 0.2, area 0.15, axes 0.1; mito volume
/// (0.1 + 0.25) / 2 = 0.175, area 0.175, axes {0.05, 0.1, 0.2, 0.3, 0.4} → 0.2; all volume
/// {0.1, 0.2, 0.25} → 0.2, area {0.1, 0.15, 0.25} → 0.15, axes {0.05, 0.1, 0.1, 0.2, 0.3, 0.4} →
/// (0.1 + 0.2) / 2 = 0.15. Worst volume errors: er +20 % (6), mito −25 % (4), all −25 % (4).
/// </summary>
public sealed class TruthComparisonKnownAnswerTests
{
    private const string TruthJson = """
        {"format": "sxtseg-simulation-truth", "objects": [
          {"id": 3, "class": "mito", "kind": "long, thin", "parent_id": null, "volume_nm3": 1000, "surface_area_nm2": 500, "principal_axes_nm": [100, 300, 200], "cut_by_fov": false},
          null,
          {"id": 4, "class": "mito", "kind": "\"odd\"", "volume_nm3": 2000, "surface_area_nm2": 800, "principal_axes_nm": [400, 100], "cut_by_fov": false},
          {"id": 6, "class": "er", "kind": "sheet", "volume_nm3": 500, "surface_area_nm2": 1000, "principal_axes_nm": [0, 50]},
          {"id": 7, "class": "er", "kind": "sheet", "volume_nm3": 100, "surface_area_nm2": 100, "principal_axes_nm": [10, 10, 10], "cut_by_fov": true},
          {"id": 8, "parent_id": 9, "volume_nm3": 30, "surface_area_nm2": 40},
          {"id": 9, "class": "cell", "kind": "cell", "volume_nm3": 1000000, "surface_area_nm2": 100000, "principal_axes_nm": [200, 100, 50], "cut_by_fov": false}
        ]}
        """;

    private static ObjectMeasurement M(uint id, double volume, double area, double a0, double a1, double a2) => new()
    {
        ObjectId = id, Label = (int)id, Voxels = 1, VolumeNm3 = volume, SurfaceResolved = true, MeshVolumeNm3 = volume, SurfaceAreaNm2 = area,
        Centroid = default, Box = default, TouchesBorder = false,
        MajorAxisNm = a0, SecondAxisNm = a1, ThirdAxisNm = a2, MajorExtentNm = 0, SecondExtentNm = 0, ThirdExtentNm = 0,
        MajorDirection = default, Slices = 1, Area2D = default, Perimeter2D = default, FirstAxis2D = default,
        SecondAxis2D = default, FirstExtent2D = default, SecondExtent2D = default, Eccentricity2D = default,
    };

    private static IReadOnlyList<TruthMatch> Matches(TempDir dir)
    {
        File.WriteAllText(dir.File("truth.json"), TruthJson);
        var truth = TruthComparison.Read(dir.File("truth.json"));
        var measured = new MeasurementResult(
            new[] { M(3, 1100, 450, 330, 140, 105), M(4, 1500, 1000, 480, 140, 50), M(6, 600, 1150, 55, 20, 10),
                    M(7, 50, 80, 9, 8, 7), M(9, 900000, 110000, 210, 90, 50) },
            new VolumeInfo(4, 4, 4, VoxelType.UInt16), VoxelSize.Isotropic(10), new MeasureOptions(), 0, 0);
        return TruthComparison.Match(truth, measured);
    }

    [Fact]
    public void TruthObjectsAreReadWithDefaultsAndSortedAxes()
    {
        // Given the truth file above (a null entry skipped)
        using var dir = new TempDir();
        File.WriteAllText(dir.File("truth.json"), TruthJson);
        // When
        var truth = TruthComparison.Read(dir.File("truth.json"));
        // Then
        Assert.Equal(new uint[] { 3, 4, 6, 7, 8, 9 }, truth.Select(t => t.Id));
        Assert.Equal(new double[] { 300, 200, 100 }, truth[0].AxesNm);
        Assert.Equal(("mito", "long, thin", (uint?)null, 1000.0, 500.0, false), (truth[0].Class, truth[0].Kind, truth[0].ParentId, truth[0].VolumeNm3, truth[0].SurfaceAreaNm2, truth[0].CutByFieldOfView));
        Assert.True(truth[3].CutByFieldOfView);
        var eight = truth[4];
        Assert.Equal(("", "", (uint?)9, 30.0, 40.0, false), (eight.Class, eight.Kind, eight.ParentId, eight.VolumeNm3, eight.SurfaceAreaNm2, eight.CutByFieldOfView));
        Assert.Empty(eight.AxesNm);
    }

    [Fact]
    public void TheCsvHoldsEveryColumnAsWorkedOutByHand()
    {
        // Given
        using var dir = new TempDir();
        var matches = Matches(dir);
        // When
        var lines = TruthComparison.Csv(matches).Split('\n');
        // Then
        Assert.Equal(
            "object_id,class,kind,cut_by_fov,has_children,comparable,true_volume [nm^3],volume [nm^3],volume_error,true_area [nm^2],area [nm^2],area_error,"
            + "true_major_axis [nm],major_axis [nm],major_axis_error,true_second_axis [nm],second_axis [nm],second_axis_error,true_third_axis [nm],third_axis [nm],third_axis_error",
            lines[0]);
        Assert.Equal("3,mito,\"long, thin\",0,0,1,1000,1100,0.1,500,450,-0.1,300,330,0.1,200,140,-0.3,100,105,0.05", lines[1]);
        Assert.Equal("4,mito,\"\"\"odd\"\"\",0,0,1,2000,1500,-0.25,800,1000,0.25,400,480,0.2,100,140,0.4,,50,", lines[2]);
        Assert.Equal("6,er,sheet,0,0,1,500,600,0.2,1000,1150,0.15,50,55,0.1,0,20,,,10,", lines[3]);
        Assert.Equal("7,er,sheet,1,0,0,100,50,-0.5,100,80,-0.2,10,9,-0.1,10,8,-0.2,10,7,-0.3", lines[4]);
        Assert.Equal("8,,,0,0,0,30,,,40,,,,,,,,,,,", lines[5]);
        Assert.Equal("9,cell,cell,0,1,0,1000000,900000,-0.1,100000,110000,0.1,200,210,0.05,100,90,-0.1,50,50,0", lines[6]);
        Assert.Equal("", lines[7]);
        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public void TheMarkdownSummaryHoldsTheHandMediansPerClassThenAll()
    {
        // Given
        using var dir = new TempDir();
        var matches = Matches(dir);
        // When
        var md = TruthComparison.Markdown(matches);
        // Then
        Assert.Equal(
            "## Measurements against the simulation's truth\n\n"
            + "| class | n | volume: median \\|error\\| | area: median \\|error\\| | axes: median \\|error\\| | worst volume error |\n|---|---|---|---|---|---|\n"
            + "| er | 1 | 20.0 % | 15.0 % | 10.0 % | +20.0% (id 6) |\n"
            + "| mito | 2 | 17.5 % | 17.5 % | 20.0 % | -25.0% (id 4) |\n"
            + "| **all** | 3 | 20.0 % | 15.0 % | 15.0 % | -25.0% (id 4) |\n"
            + "\n3 of 6 truth objects compared; left out: 1 cut by the field of view, 1 enclosing other objects, 1 not measured (no voxels in the labels, or removed by the size or border filters).\n",
            md);
    }

    [Fact]
    public void WithNothingComparableTheSummaryHasOnlyItsHeaderAndCounts()
    {
        // Given one object only, cut by the field of view
        var t = new TruthObject(1, "er", "sheet", null, 100, 100, new double[] { 10, 10, 10 }, true);
        var matches = new[] { new TruthMatch(t, M(1, 100, 100, 10, 10, 10), false) };
        // When
        var md = TruthComparison.Markdown(matches);
        // Then
        Assert.EndsWith("|---|---|---|---|---|---|\n\n0 of 1 truth objects compared; left out: 1 cut by the field of view, 0 enclosing other objects, 0 not measured (no voxels in the labels, or removed by the size or border filters).\n", md);
        Assert.False(matches[0].Comparable);
        Assert.True(double.IsNaN(new TruthMatch(t, null, false).AxisError(0)));
    }

    [Theory]
    [InlineData(null, "file not found")]
    [InlineData("{\"objects\": [", "not valid JSON")]
    [InlineData("{\"objects\": 3}", "no \"objects\" array")]
    [InlineData("{\"objects\": [{\"id\": 1, \"surface_area_nm2\": 2}]}", "an object lacks id, volume_nm3 or surface_area_nm2")]
    [InlineData("{\"objects\": [{\"id\": \"one\", \"volume_nm3\": 1, \"surface_area_nm2\": 2}]}", "an object lacks id, volume_nm3 or surface_area_nm2")]
    public void ABadTruthFileIsRefusedNamingTheFileAndTheProblem(string? content, string problem)
    {
        // Given
        using var dir = new TempDir();
        if (content is not null) File.WriteAllText(dir.File("truth.json"), content);
        // When
        var e = Assert.Throws<InvalidInputException>(() => TruthComparison.Read(dir.File("truth.json")));
        // Then
        Assert.Contains("truth.json", e.Message);
        Assert.Contains(problem, e.Message);
    }
}
