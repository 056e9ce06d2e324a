using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// Reading a simulation's truth filopodia, and the accuracy figures and tables of a comparison, on
/// hand-made truth and one rod measured by the analyser (milliseconds; the whole comparison against a
/// simulated scene is in <see cref="FilopodiaTests"/>).
/// </summary>
public sealed class FilopodiaTruthTests
{
    private const string Truth = """
        {"objects": [
          {"id": 7, "class_id": 11, "kind": "filopodium", "volume_nm3": 1000000, "surface_area_nm2": 70000,
           "principal_axes_nm": [50, 400, 60], "shape": {"radius_nm": 30, "length_nm": 370}},
          {"id": 9, "class_id": 11, "kind": "microvillus", "volume_nm3": 2000000, "surface_area_nm2": 90000, "cut_by_fov": true},
          {"id": 3, "class_id": 5, "kind": "mitochondrion", "volume_nm3": 1, "surface_area_nm2": 1}
        ]}
        """;

    [Fact]
    public void TheTruthFilopodiaAreTheClass11ObjectsWithTheirAxesSortedAndTheLengthToTheTipCap()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("truth.json"), Truth);
        var t = FilopodiaTruth.Read(dir.File("truth.json"));
        Assert.Equal(2, t.Count);
        Assert.Equal((7u, "filopodium", 1e6, 7e4), (t[0].Id, t[0].Kind, t[0].VolumeNm3, t[0].SurfaceAreaNm2));
        Assert.Equal(new double[] { 400, 60, 50 }, t[0].AxesNm);
        Assert.Equal(30, t[0].RadiusNm);
        Assert.Equal(400, t[0].LengthNm);   // 370 along the tube + the 30 nm cap
        Assert.False(t[0].CutByFieldOfView);
        Assert.Equal((9u, "microvillus", true), (t[1].Id, t[1].Kind, t[1].CutByFieldOfView));
        Assert.Empty(t[1].AxesNm);
        Assert.True(double.IsNaN(t[1].LengthNm));
    }

    [Theory]
    [InlineData(null, "file not found")]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("{\"cells\": []}", "no \"objects\" array")]
    [InlineData("{\"objects\": [{\"id\": 1, \"class_id\": 11, \"surface_area_nm2\": 5}]}", "lacks id, volume_nm3")]
    public void ABrokenTruthFileIsRefusedSayingWhy(string? text, string message)
    {
        using var dir = new TempDir();
        if (text is not null) File.WriteAllText(dir.File("truth.json"), text);
        var e = Assert.Throws<InvalidInputException>(() => FilopodiaTruth.Read(dir.File("truth.json")));
        Assert.Contains(message, e.Message);
        Assert.Contains("truth.json", e.Message);
    }

    private static Filopodium Rod()
    {
        var (crop, volume, _) = FilopodiumAnalyzerPartsTests.BodyAndRod(4, 5);
        return FilopodiumAnalyzer.Analyze(crop, volume, VoxelSize.Isotropic(10), new FilopodiaOptions()).Outcome.Filopodium!;
    }

    [Fact]
    public void RecallPrecisionAndMedianErrorsCountOnlyTheScoredFilopodia()
    {
        var f = Rod();
        TruthFilopodium T(uint id, double volumeFactor, bool cut = false)
            => new(id, "filopodium", f.VolumeNm3 / volumeFactor, f.SurfaceAreaNm2, new[] { f.Measures.MajorAxisNm }, 40, f.LengthNm * 2, cut);
        // Given: two found with volume errors +10 % and −20 %, one missed, one cut by the field of view
        // (found, error +400 %: not scored), one whose voxels touch the border, one absent from the labels
        var matches = new[]
        {
            new FilopodiumMatch(T(1, 1.1), 100, double.NaN, f, 90),
            new FilopodiumMatch(T(2, 0.8), 100, double.NaN, f, 80),
            new FilopodiumMatch(T(3, 1), 100, double.NaN, null, 0),
            new FilopodiumMatch(T(4, 5, cut: true), 100, double.NaN, f, 70),
            new FilopodiumMatch(T(5, 1), 100, double.NaN, null, 0, TouchesBorder: true),
            new FilopodiumMatch(T(6, 1), 0, double.NaN, null, 0),
        };
        var a = new FilopodiaAccuracy(matches, Detections: 4, TruePositives: 2);
        // Then recall is 2 of the 3 scored, precision 2 of 4, and the median |volume error| the mean of 10 % and 20 %
        Assert.Equal(3, a.TruthCount);
        Assert.Equal(2, a.Found);
        Assert.Equal(2.0 / 3, a.Recall, 12);
        Assert.Equal(0.5, a.Precision, 12);
        Assert.Equal(0.15, a.MedianAbs(m => m.VolumeError), 9);
        // the length error of a found one is found / true − 1 (the truth here twice as long), and a missing axis gives none
        Assert.Equal(-0.5, matches[0].LengthError, 9);
        Assert.Equal(0, matches[0].AxisError(0), 9);
        Assert.True(double.IsNaN(matches[0].AxisError(1)));
        Assert.True(double.IsNaN(matches[2].VolumeError));
        // odd counts take the middle value; none found gives no figure; no truth and no detection give NaN, not a division by zero
        Assert.Equal(0.1, new FilopodiaAccuracy(new[] { matches[0] }, 1, 1).MedianAbs(m => m.VolumeError), 9);
        Assert.True(double.IsNaN(new FilopodiaAccuracy(new[] { matches[2] }, 0, 0).MedianAbs(m => m.VolumeError)));
        var empty = new FilopodiaAccuracy(Array.Empty<FilopodiumMatch>(), 0, 0);
        Assert.True(double.IsNaN(empty.Recall) && double.IsNaN(empty.Precision));
        // and the summary says so
        string md = FilopodiaTruth.Markdown(a);
        Assert.Contains("Recall 66.7 % (2 of 3 filopodia not cut by the field of view), precision 50.0 % (2 of 4 detections in the summary).", md);
        Assert.Contains("| volume | 15.0 % |", md);
        Assert.Contains("| length | 50.0 % |", md);
        Assert.Contains("| second axis | – |", md);
        Assert.Contains("Recall – (0 of 0", FilopodiaTruth.Markdown(empty));
    }

    [Fact]
    public void TheCsvHasOneRowPerTruthFilopodiumWithEmptyCellsForWhatWasNotFound()
    {
        var f = Rod();
        var t = new TruthFilopodium(3, "microvillus", 2e6, 9e4, new[] { 400.0, 60, 50 }, 30, 400, true);
        var csv = FilopodiaTruth.Csv(new FilopodiaAccuracy(new[] { new FilopodiumMatch(t, 120, 55.5, null, 0) }, 1, 0)).Split('\n');
        Assert.Equal(3, csv.Length);   // header, one row, the final newline
        Assert.Equal(21, csv[0].Split(',').Length);
        Assert.StartsWith("truth_id,kind,cut_by_fov,scored,found_id,overlap [voxels],truth_voxels,true_volume [nm^3],volume_error,", csv[0]);
        Assert.Equal("3,microvillus,1,0,,0,120,2E+06,,90000,,400,,60,,50,,400,,55.5,", csv[1]);
        Assert.Equal("", csv[2]);
        // a found one carries its id and errors: 1,filopodium,0,1,<id>,90,100,…
        var found = new FilopodiumMatch(new TruthFilopodium(1, "filopodium", f.VolumeNm3 / 2, f.SurfaceAreaNm2, new[] { f.Measures.MajorAxisNm }, 40, f.LengthNm, false), 100, double.NaN, f, 90);
        var row = FilopodiaTruth.Csv(new FilopodiaAccuracy(new[] { found }, 1, 1)).Split('\n')[1].Split(',');
        Assert.Equal(new[] { "1", "filopodium", "0", "1", f.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "90", "100" }, row[..7]);
        Assert.Equal("1", row[8]);    // volume twice the truth's: +100 %
        Assert.Equal("0", row[10]);   // area as true
        Assert.Equal("", row[14]);    // no true second axis
    }

    [Fact]
    public void ADetectionIsMatchedToTheTruthFilopodiumHoldingMostOfItsVoxels()
    {
        // Given the analysed rod (x 5–29, radius 4 around y = z = 12, in a 40 × 24 × 24 volume of 10 nm voxels) and a
        // simulation whose instances are: the rod itself (filopodium 7), a thin rod it missed (filopodium 8),
        // a filopodium at the volume's face x = 0 (9: not scored) and the cell body (3, class 5)
        var f = Rod();
        var v = VoxelSize.Isotropic(10);
        var ids = new Volume<ushort>(40, 24, 24, v);
        for (int z = 0; z < 24; z++)
            for (int y = 0; y < 24; y++)
                for (int x = 0; x < 40; x++)
                {
                    int r2 = (y - 12) * (y - 12) + (z - 12) * (z - 12);
                    if (x >= 5 && x <= 29 && r2 <= 16) ids[z, y, x] = 7;
                    else if (x >= 30) ids[z, y, x] = 3;
                    else if (x >= 10 && x <= 20 && y >= 1 && y <= 2 && z >= 1 && z <= 2) ids[z, y, x] = 8;
                    else if (x <= 3 && y >= 20 && z >= 20) ids[z, y, x] = 9;
                }
        using var dir = new TempDir();
        VolumeIO.Write(dir.File("instances.mrc"), ids);
        File.WriteAllText(dir.File("truth.json"), """
            {"objects": [
              {"id": 7, "class_id": 11, "volume_nm3": 1225000, "surface_area_nm2": 70000, "principal_axes_nm": [250, 80, 80], "shape": {"radius_nm": 40, "length_nm": 210}},
              {"id": 8, "class_id": 11, "volume_nm3": 44000, "surface_area_nm2": 9000},
              {"id": 9, "class_id": 11, "volume_nm3": 64000, "surface_area_nm2": 9000},
              {"id": 3, "class_id": 5, "volume_nm3": 1, "surface_area_nm2": 1}
            ]}
            """);
        // and detections: the rod, and one whose voxels lie in the body
        var bodyMask = new FilopodiumMask(new VoxelBox(32, 10, 10, 33, 11, 11), Enumerable.Repeat((byte)1, 8).ToArray());
        var g = f with { Id = 2, Mask = bodyMask, Measures = f.Measures with { Voxels = 8 } };
        // and a third with only 4 of its 12 voxels in filopodium 8: a minority, so it does not find 8
        var minority = new FilopodiumMask(new VoxelBox(10, 0, 0, 10, 3, 2), Enumerable.Repeat((byte)1, 12).ToArray());
        var h = f with { Id = 3, Mask = minority, Measures = f.Measures with { Voxels = 12 } };
        var info = new VolumeInfo(40, 24, 24, VoxelType.UInt8, v);
        var result = new FilopodiaResult(new[] { f, g, h }, new FilopodiaCounts(3, 0, 0, 0, 0, 0, 0, 3), info, v, new FilopodiaOptions(), "test", 0);
        // When compared
        var a = FilopodiaTruth.Compare(result, dir.Path);
        // Then filopodium 7 is found by the rod with all its 1,225 voxels, 8 is missed, 9 is not scored; the other detections are no true positives
        Assert.Equal(3, a.Matches.Count);
        var m7 = a.Matches[0];
        Assert.Same(f, m7.Found);
        Assert.Equal((1225L, 1225L), (m7.Overlap, m7.TruthVoxels));
        Assert.Null(a.Matches[1].Found);
        Assert.Equal(44, a.Matches[1].TruthVoxels);
        Assert.True(a.Matches[2].TouchesBorder);
        Assert.False(a.Matches[2].Scored);
        Assert.Equal((2, 1, 3, 1), (a.TruthCount, a.Found, a.Detections, a.TruePositives));
        // its errors against the truth's numbers, and its 2D second axis against the same measure of the instance voxels
        Assert.Equal(f.VolumeNm3 / 1225000 - 1, m7.VolumeError, 12);
        Assert.Equal(f.LengthNm / 250 - 1, m7.LengthError, 12);
        Assert.Equal(0, m7.SecondAxis2DError, 9);
        // instances of another shape are refused
        VolumeIO.Write(dir.File("instances.mrc"), new Volume<ushort>(40, 24, 23, v));
        var e = Assert.Throws<InvalidInputException>(() => FilopodiaTruth.Compare(result, dir.Path));
        Assert.Contains("40 × 24 × 23", e.Message);
        File.Delete(dir.File("instances.mrc"));
        Assert.Contains("file not found", Assert.Throws<InvalidInputException>(() => FilopodiaTruth.Compare(result, dir.Path)).Message);
    }
}
