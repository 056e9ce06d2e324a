namespace SxtSeg.Network;

/// <summary>What the annotation head of an <see cref="SxtUNet"/> outputs.</summary>
public enum LabelHead
{
    /// <summary>tanh in [−1, 1], trained against ±1 labels (the published Deep-SXT head).</summary>
    Tanh,
    /// <summary>
    /// A logit z trained with binary cross-entropy (and soft Dice): calibrated probabilities σ(z).
    /// For inference the network still outputs a value in [−1, 1], tanh(z/2) = 2σ(z) − 1, so every
    /// consumer of tanh outputs reads the probability as (output + 1)/2 = σ(z).
    /// </summary>
    Logit,
}
