namespace SxtSeg.Training;

/// <summary>Everything a training run needs.</summary>
/// <param name="Inputs">Training data.</param>
/// <param name="Options">Recipe and run options.</param>
/// <param name="OutputFolder">Folder for models, checkpoint, metrics and plots.</param>
public sealed record TrainingRequest(TrainingInputs Inputs, TrainingOptions Options, string OutputFolder)
{
    /// <summary>Continue the run saved in <see cref="OutputFolder"/> (its <c>checkpoint.sxtckpt</c>).</summary>
    public bool Resume { get; init; }

    /// <summary>Start from the weights of this model file (fine-tuning) instead of a random initialisation.</summary>
    public string? InitialModel { get; init; }

    /// <summary>True when the width was chosen explicitly (a resume then refuses a checkpoint of another width even without inputs).</summary>
    public bool WidthExplicit { get; init; }

    /// <summary>The command line, for provenance.</summary>
    public string? CommandLine { get; init; }

    /// <summary>
    /// Receives warnings about a run that was accepted and starts (e.g. validation on training
    /// simulations, <see cref="TrainingInputs.ValidationOverlap"/>); a refused run warns about nothing.
    /// </summary>
    public Action<string>? Warn { get; init; }
}
