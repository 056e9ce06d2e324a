namespace SxtSeg.Training;

/// <summary>Which training recipe a run follows.</summary>
public enum TrainingRecipe
{
    /// <summary>
    /// SxtSeg's recipe: step-based, batches of small crops from every annotated slice, ignored voxels
    /// weighted 0, BCE + soft Dice on a logit head, warm-up and cosine decay, model selection by
    /// visible-membrane F1 on validation slices, robust normalisation (<see cref="StepTrainer"/>).
    /// </summary>
    SxtSeg,
    /// <summary>The published Deep-SXT recipe: epochs of label mode and image mode, tanh + Huber, batch 1, constant rate (<see cref="SemiSupervisedTrainer"/>).</summary>
    Paper,
}
