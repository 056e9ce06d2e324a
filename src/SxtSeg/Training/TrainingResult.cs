namespace SxtSeg.Training;

/// <summary>The outcome of a training run.</summary>
/// <param name="BestModelPath">Path of the best model (lowest test label loss).</param>
/// <param name="BestModelId">Its id.</param>
/// <param name="BestEpoch">Epoch of the best model.</param>
/// <param name="EpochsRun">Epochs completed in all (including those before a resume).</param>
/// <param name="StoppedEarly">True when the test loss plateaued for the patience.</param>
/// <param name="History">Metrics of every epoch.</param>
/// <remarks>For the SxtSeg recipe, epochs are optimiser steps (best step, steps completed).</remarks>
public sealed record TrainingResult(string BestModelPath, string BestModelId, int BestEpoch, int EpochsRun, bool StoppedEarly, IReadOnlyList<EpochMetrics> History)
{
    /// <summary>The recipe that trained the model.</summary>
    public TrainingRecipe Recipe { get; init; } = TrainingRecipe.Paper;

    /// <summary>SxtSeg recipe: the validation record of the best model.</summary>
    public System.Text.Json.Nodes.JsonObject? BestValidation { get; init; }

    /// <summary>Fine-tuning: the validation record of the starting model (step 0), before any training.</summary>
    public System.Text.Json.Nodes.JsonObject? StartingValidation { get; init; }

    /// <summary>
    /// SxtSeg recipe: the threshold the best model's file holds. The best validation's threshold, except
    /// when a fine-tuning run kept the starting model, whose file keeps its own.
    /// </summary>
    public double? StoredThreshold { get; init; }

    /// <summary>SxtSeg recipe: true when the time budget ended this invocation before the schedule (resume to continue).</summary>
    public bool BudgetEnded { get; init; }
}
