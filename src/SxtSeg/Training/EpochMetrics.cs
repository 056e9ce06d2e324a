using System.Globalization;
using System.Text.Json.Nodes;

namespace SxtSeg.Training;

/// <summary>Losses and test metrics of one epoch. NaN marks a value that does not apply (e.g. the image loss with --supervised-only).</summary>
public sealed record EpochMetrics
{
    /// <summary>Epoch number (from 1).</summary>
    public int Epoch { get; init; }

    /// <summary>Mean label-mode loss over the epoch's training steps.</summary>
    public double TrainLabelLoss { get; init; } = double.NaN;

    /// <summary>Mean image-mode loss over the epoch's training steps.</summary>
    public double TrainImageLoss { get; init; } = double.NaN;

    /// <summary>Label-mode loss on the annotated test crops (the early-stopping criterion).</summary>
    public double TestLabelLoss { get; init; } = double.NaN;

    /// <summary>Image-mode loss on the unannotated test crops.</summary>
    public double TestImageLoss { get; init; } = double.NaN;

    /// <summary>Fraction of annotated test pixels whose label output, mapped to [0, 1], is within 0.01 of the label.</summary>
    public double LabelAccuracy { get; init; } = double.NaN;

    /// <summary>Fraction of test pixels with |input − reconstruction| ≤ std(input crop).</summary>
    public double ImageAccuracy { get; init; } = double.NaN;

    /// <summary>Mean SSIM between test inputs and reconstructions.</summary>
    public double Ssim { get; init; } = double.NaN;

    /// <summary>Membrane F1 on the annotated test crops (output &gt; 0 vs label).</summary>
    public double MembraneF1 { get; init; } = double.NaN;

    /// <summary>Membrane precision.</summary>
    public double MembranePrecision { get; init; } = double.NaN;

    /// <summary>Membrane recall.</summary>
    public double MembraneRecall { get; init; } = double.NaN;

    /// <summary>Wall time of the epoch in seconds (run log only; not written into model files).</summary>
    public double Seconds { get; init; } = double.NaN;

    /// <summary>CSV column names.</summary>
    public static readonly string[] Columns =
    {
        "epoch", "train_label_loss", "train_image_loss", "test_label_loss", "test_image_loss",
        "label_accuracy_1pct", "image_accuracy_1std", "ssim", "membrane_f1", "membrane_precision", "membrane_recall", "seconds",
    };

    private double[] Values() => new[]
    {
        Epoch, TrainLabelLoss, TrainImageLoss, TestLabelLoss, TestImageLoss,
        LabelAccuracy, ImageAccuracy, Ssim, MembraneF1, MembranePrecision, MembraneRecall, Seconds,
    };

    /// <summary>One CSV row (empty cells for NaN).</summary>
    public string ToCsv() => string.Join(",", Values().Select((v, i) => i == 0 ? Epoch.ToString(CultureInfo.InvariantCulture) : double.IsNaN(v) ? "" : v.ToString("G7", CultureInfo.InvariantCulture)));

    /// <summary>As JSON (null for NaN); <paramref name="withTime"/> false drops the wall time (model cards stay reproducible).</summary>
    public JsonObject ToJson(bool withTime = true)
    {
        var o = new JsonObject();
        var v = Values();
        for (int i = 0; i < Columns.Length; i++)
        {
            if (!withTime && Columns[i] == "seconds") continue;
            o[Columns[i]] = i == 0 ? Epoch : double.IsNaN(v[i]) ? null : v[i];
        }
        return o;
    }

    /// <summary>Reads <see cref="ToJson"/> output.</summary>
    public static EpochMetrics FromJson(JsonObject o)
    {
        double D(string k) => o[k] is JsonValue v && v.TryGetValue<double>(out double d) ? d : double.NaN;
        return new EpochMetrics
        {
            Epoch = (int?)o["epoch"] ?? 0,
            TrainLabelLoss = D("train_label_loss"), TrainImageLoss = D("train_image_loss"),
            TestLabelLoss = D("test_label_loss"), TestImageLoss = D("test_image_loss"),
            LabelAccuracy = D("label_accuracy_1pct"), ImageAccuracy = D("image_accuracy_1std"), Ssim = D("ssim"),
            MembraneF1 = D("membrane_f1"), MembranePrecision = D("membrane_precision"), MembraneRecall = D("membrane_recall"),
            Seconds = D("seconds"),
        };
    }
}
