using SxtSeg.Measurement.Filopodia;
using SxtSeg.Tests.Infrastructure;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// The filopodia options, the cell-body options and the run request: every limit on both sides (the
/// last value accepted and the first refused), the key of the error (the CLI maps it to its flag),
/// and every option recorded in the provenance under its documented name.
/// </summary>
public sealed class FilopodiaOptionsTests
{
    private static string? RefusedKey(Action validate)
    {
        try
        {
            validate();
            return null;
        }
        catch (InvalidOptionException e)
        {
            return e.Option;
        }
    }

    private static string? Refused(FilopodiaOptions o) => RefusedKey(o.Validate);

    private static string? Refused(CellBodyOptions o) => RefusedKey(o.Validate);

    private static readonly FilopodiaOptions D = new();

    [Fact]
    public void TheDefaultsAreValidAndEachLimitIsInclusiveWhereDocumented()
    {
        Assert.Null(Refused(D));
        // the boundary values that are allowed
        Assert.Null(Refused(D with { MinLengthNm = 0 }));
        Assert.Null(Refused(D with { CloseSteps = 0 }));
        Assert.Null(Refused(D with { CloseSteps = 10 }));
        Assert.Null(Refused(D with { MaxMembraneThicknessNm = 0 }));
        Assert.Null(Refused(D with { BeadDistanceNm = 0 }));
        Assert.Null(Refused(D with { BeadThreshold = -3.5 }));
        Assert.Null(Refused(D with { CellMaskMarginNm = 0 }));
        Assert.Null(Refused(D with { ZMajority = 0 }));
        Assert.Null(Refused(D with { ZMajority = 20 }));
        Assert.Null(Refused(D with { SurfaceSmoothing = 0 }));
        Assert.Null(Refused(D with { Fill = FillMode.Slices }));
        Assert.Null(Refused(D with { MinDiameterNm = 1e-3, MaxDiameterNm = 2e-3 }));
        Assert.Null(Refused(D with { MinDiameterNm = 249.999 }));
    }

    public static TheoryData<string, FilopodiaOptions> RefusedOptions() => new()
    {
        { "MaxDiameterNm", D with { MaxDiameterNm = 0 } },
        { "MaxDiameterNm", D with { MaxDiameterNm = -1 } },
        { "MaxDiameterNm", D with { MaxDiameterNm = double.NaN } },
        { "MaxDiameterNm", D with { MaxDiameterNm = double.PositiveInfinity } },
        { "MinDiameterNm", D with { MinDiameterNm = 0 } },
        { "MinDiameterNm", D with { MinDiameterNm = double.NaN } },
        { "MinDiameterNm", D with { MinDiameterNm = 250 } },
        { "MinDiameterNm", D with { MinDiameterNm = 300 } },
        { "MinLengthNm", D with { MinLengthNm = -1e-9 } },
        { "MinLengthNm", D with { MinLengthNm = double.NaN } },
        { "MinLengthNm", D with { MinLengthNm = double.PositiveInfinity } },
        { "CloseSteps", D with { CloseSteps = -1 } },
        { "CloseSteps", D with { CloseSteps = 11 } },
        { "MaxMembraneThicknessNm", D with { MaxMembraneThicknessNm = -1e-9 } },
        { "MaxMembraneThicknessNm", D with { MaxMembraneThicknessNm = double.NaN } },
        { "MaxMembraneThicknessNm", D with { MaxMembraneThicknessNm = double.PositiveInfinity } },
        { "BeadDistanceNm", D with { BeadDistanceNm = -1e-9 } },
        { "BeadDistanceNm", D with { BeadDistanceNm = double.NaN } },
        { "BeadDistanceNm", D with { BeadDistanceNm = double.PositiveInfinity } },
        { "BeadThreshold", D with { BeadThreshold = double.NaN } },
        { "BeadThreshold", D with { BeadThreshold = double.NegativeInfinity } },
        { "CellMaskMarginNm", D with { CellMaskMarginNm = -1e-9 } },
        { "CellMaskMarginNm", D with { CellMaskMarginNm = double.NaN } },
        { "CellMaskMarginNm", D with { CellMaskMarginNm = double.PositiveInfinity } },
        { "Fill", D with { Fill = (FillMode)7 } },
        { "ZMajority", D with { ZMajority = -1 } },
        { "ZMajority", D with { ZMajority = 21 } },
        { "SurfaceSmoothing", D with { SurfaceSmoothing = -1 } },
    };

    [Theory]
    [MemberData(nameof(RefusedOptions))]
    public void AnImpossibleValueIsRefusedUnderItsOwnKey(string key, FilopodiaOptions options)
        => Assert.Equal(key, Refused(options));

    [Fact]
    public void EveryOptionIsRecordedUnderItsName()
    {
        var p = new Provenance("test");
        new FilopodiaOptions
        {
            MaxDiameterNm = 240.5, MinDiameterNm = 55, MinLengthNm = 180, CloseSteps = 2, MaxMembraneThicknessNm = 70,
            ExcludeCutByFieldOfView = false, BeadDistanceNm = 45, CellMaskMarginNm = 90, SurfaceSmoothing = 7,
            Fill = FillMode.Volume, ZMajority = 3,
        }.Record(p);
        var expected = new Dictionary<string, string>
        {
            ["max_diameter_nm"] = "240.5", ["min_diameter_nm"] = "55", ["min_length_nm"] = "180", ["close"] = "2",
            ["max_membrane_thickness_nm"] = "70", ["exclude_cut_by_fov"] = "False", ["bead_distance_nm"] = "45",
            ["bead_threshold"] = "auto", ["cell_mask_margin_nm"] = "90", ["smooth"] = "7", ["fill"] = "volume", ["z_majority"] = "3",
        };
        Assert.Equal(expected, p.Parameters);
        var q = new Provenance("test");
        (D with { BeadThreshold = 1.25 }).Record(q);
        Assert.Equal("1.25", q.Parameters["bead_threshold"]);
    }

    [Fact]
    public void CellBodyOptionsAreCheckedOnBothSidesOfEachLimit()
    {
        var d = new CellBodyOptions();
        Assert.Null(Refused(d));
        Assert.Null(Refused(d with { PixelNm = 1e-3 }));
        Assert.Null(Refused(d with { Threshold = 1e-6 }));
        Assert.Null(Refused(d with { Threshold = 0.999999 }));
        Assert.Null(Refused(d with { MinComponentFraction = 0 }));
        Assert.Null(Refused(d with { MinComponentFraction = 1 }));
        Assert.Null(Refused(d with { Workers = 1 }));
        Assert.Null(Refused(d with { Workers = 64 }));
        Assert.Equal("PixelNm", Refused(d with { PixelNm = 0 }));
        Assert.Equal("PixelNm", Refused(d with { PixelNm = -5 }));
        Assert.Equal("PixelNm", Refused(d with { PixelNm = double.NaN }));
        Assert.Equal("PixelNm", Refused(d with { PixelNm = double.PositiveInfinity }));
        Assert.Equal("Threshold", Refused(d with { Threshold = 0 }));
        Assert.Equal("Threshold", Refused(d with { Threshold = 1 }));
        Assert.Equal("Threshold", Refused(d with { Threshold = double.NaN }));
        Assert.Equal("MinComponentFraction", Refused(d with { MinComponentFraction = -1e-9 }));
        Assert.Equal("MinComponentFraction", Refused(d with { MinComponentFraction = 1.000001 }));
        Assert.Equal("MinComponentFraction", Refused(d with { MinComponentFraction = double.NaN }));
        Assert.Equal("Workers", Refused(d with { Workers = 0 }));
        Assert.Equal("Workers", Refused(d with { Workers = 65 }));
        // the message says what was given
        var e = Assert.Throws<InvalidOptionException>((d with { Workers = 65 }).Validate);
        Assert.Contains("got 65", e.Problem);
    }

    [Fact]
    public void ARunRequestRefusesContradictoryInputsUnderTheKeyTheUserGave()
    {
        using var dir = new TempDir();
        string file = dir.File("present.sxtmodel");
        File.WriteAllText(file, "x");
        string missing = dir.File("missing.sxtmodel");
        var r = new FilopodiaRunRequest { LabelsPath = "labels.mrc" };
        string? Key(FilopodiaRunRequest q) => RefusedKey(q.Validate);

        Assert.Null(Key(r));
        // the options and the body options are checked
        Assert.Equal("CloseSteps", Key(r with { Options = D with { CloseSteps = 11 } }));
        Assert.Equal("Workers", Key(r with { TomogramPath = "t.mrc", BodyModelPath = file, BodyOptions = new CellBodyOptions { Workers = 0 } }));
        // a truth folder must be a folder
        Assert.Equal("TruthFolder", Key(r with { TruthFolder = file }));
        Assert.Null(Key(r with { TruthFolder = dir.Path }));
        // a filopodium mask or a filopodium model, not both, and neither with a cell mask or body model
        Assert.Null(Key(r with { FilopodiumMaskPath = file }));
        Assert.Null(Key(r with { FilopodiumMaskPath = dir.Path }));
        Assert.Equal("FilopodiumMaskPath", Key(r with { FilopodiumMaskPath = missing }));
        Assert.Equal("FilopodiumModelPath", Key(r with { FilopodiumMaskPath = file, FilopodiumModelPath = file, TomogramPath = "t.mrc" }));
        Assert.Equal("FilopodiumMaskPath", Key(r with { FilopodiumMaskPath = file, CellMaskPath = "cell.mrc" }));
        Assert.Equal("FilopodiumMaskPath", Key(r with { FilopodiumMaskPath = file, BodyModelPath = file, TomogramPath = "t.mrc" }));
        Assert.Equal("FilopodiumModelPath", Key(r with { FilopodiumModelPath = file, CellMaskPath = "cell.mrc", TomogramPath = "t.mrc" }));
        Assert.Null(Key(r with { FilopodiumModelPath = file, TomogramPath = "t.mrc" }));
        Assert.Equal("FilopodiumModelPath", Key(r with { FilopodiumModelPath = file }));
        Assert.Equal("FilopodiumModelPath", Key(r with { FilopodiumModelPath = missing, TomogramPath = "t.mrc" }));
        // a body model needs the tomogram, no cell mask, and a file that exists
        Assert.Null(Key(r with { BodyModelPath = file, TomogramPath = "t.mrc" }));
        Assert.Null(Key(r with { CellMaskPath = "cell.mrc" }));
        Assert.Equal("BodyModelPath", Key(r with { BodyModelPath = file }));
        Assert.Equal("BodyModelPath", Key(r with { BodyModelPath = file, TomogramPath = "t.mrc", CellMaskPath = "cell.mrc" }));
        Assert.Equal("BodyModelPath", Key(r with { BodyModelPath = missing, TomogramPath = "t.mrc" }));
    }
}
