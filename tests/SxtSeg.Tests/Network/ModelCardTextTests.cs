using System.Text.Json.Nodes;
using SxtSeg.Network;

namespace SxtSeg.Tests.Network;

/// <summary><c>sxtseg model info</c>'s plain-text fields, against hand-written strings.</summary>
public sealed class ModelCardTextTests
{
    [Fact]
    public void ValidationRecordReadsAsASentence()
    {
        // Given a validation record as the SxtSeg recipe writes it
        var v = JsonNode.Parse("""
            {"tolerance":"1 pixel","slices":768,"best_threshold":0.3,"best_f1":0.8468,"best_precision":0.86005,"best_recall":0.83395,
             "by_threshold":[{"threshold":0.2,"precision":0.8,"recall":0.9,"f1":0.84614},{"threshold":0.3,"precision":0.86,"recall":0.83,"f1":0.8468}]}
            """)!;
        // Then it is one sentence with the best scores, the slices, the tolerance and the F1 per threshold
        Assert.Equal("F1 0.847 (P 0.860, R 0.834) at p > 0.30 on 768 slices; ±1 pixel; F1 by threshold 0.2: 0.846, 0.3: 0.847", ModelCardText.Metric(v));
        // and plain numbers stay numbers, other objects compact JSON
        Assert.Equal("0.5", ModelCardText.Metric(JsonValue.Create(0.5)));
        Assert.Equal("{\"a\":1}", ModelCardText.Metric(JsonNode.Parse("{\"a\":1}")!));
        // ±, ≤ and apostrophes read as themselves, not as \u escapes
        Assert.Equal("{\"scores\":\"the simulation's ±1 ≤ 1\"}", ModelCardText.Metric(JsonNode.Parse("{\"scores\":\"the simulation's ±1 ≤ 1\"}")!));
    }

    [Fact]
    public void CalibrationRecordReadsAsASentence()
    {
        // Given the record model calibrate stores (two simulations, two rows)
        var c = JsonNode.Parse("""
            {"threshold":0.65,"previous_threshold":0.8,"rule":"the highest pooled visible F1 among thresholds whose false positives are at most 10 %",
             "simulations":[{"folder":"val-1"},{"folder":"val-2"}],
             "rows":[{"threshold":0.6,"precision":0.8,"recall":0.9,"f1":0.84706,"fp_percent_of_truth":12.5},
                     {"threshold":0.65,"precision":0.89512,"recall":0.82571,"f1":0.859,"fp_percent_of_truth":9.54}]}
            """)!;
        Assert.Equal("threshold 0.65 (was 0.8): the highest pooled visible F1 among thresholds whose false positives are at most 10 %; on 2 whole validation simulations; there F1 0.859 (P 0.895, R 0.826), false positives 9.5 % of the truth", ModelCardText.Metric(c));
    }

    [Fact]
    public void SlicesAndVoxelSizeAndThreshold()
    {
        Assert.Equal("7168 train / 768 validation", ModelCardText.Slices(JsonNode.Parse("{\"train\":7168,\"validation\":768}")));
        Assert.Null(ModelCardText.Slices(null));
        var card = new ModelCard(8) { VoxelSizeRangeNm = (9.8, 30), Threshold = 0.3 };
        Assert.Equal("9.8–30 nm (inputs outside the range are rescaled to its nearest end)", ModelCardText.VoxelSize(card));
        Assert.Equal("membrane where p > 0.30 (chosen on the validation data)", ModelCardText.Threshold(card));
        Assert.Equal("membrane where p > 0.5 (tanh > 0, the published rule)", ModelCardText.Threshold(new ModelCard(8)));
        // a threshold that model calibrate chose says so, with its row's scores; one edited since is not claimed
        var calibrated = new ModelCard(8) { Threshold = 0.65 };
        calibrated.Metrics["calibration"] = JsonNode.Parse("""{"threshold":0.65,"simulations":[{"folder":"a"},{"folder":"b"}],"rows":[{"threshold":0.6,"f1":0.86,"fp_percent_of_truth":10.2},{"threshold":0.65,"f1":0.8594,"fp_percent_of_truth":9.46}]}""");
        Assert.Equal("membrane where p > 0.65 (chosen by model calibrate on 2 whole validation tomograms, visible membranes ±1 voxel: F1 85.9 %, false positives 9.5 % of the truth)", ModelCardText.Threshold(calibrated));
        calibrated.Threshold = 0.7;
        Assert.Equal("membrane where p > 0.70 (chosen on the validation data)", ModelCardText.Threshold(calibrated));
        Assert.StartsWith("not stated", ModelCardText.VoxelSize(new ModelCard(8)));
    }
}
