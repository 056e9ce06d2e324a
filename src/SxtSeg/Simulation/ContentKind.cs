namespace SxtSeg.Simulation;

/// <summary>How an object's content absorbs.</summary>
public enum ContentKind
{
    /// <summary>Mean LAC with texture.</summary>
    Textured,
    /// <summary>Nucleoplasm with chromatin: heterochromatin clumps and a peripheral layer.</summary>
    Nucleoplasm,
    /// <summary>Granular content with a dense eccentric core (lysosomes).</summary>
    DenseCore,
    /// <summary>
    /// Mitochondrial matrix with cristae: dense lamellae across a tube (its shape must be a
    /// <see cref="TubeShape"/>), spaced along the axis with an irregular phase, inside the inner membrane.
    /// </summary>
    Cristae,
    /// <summary>Constant LAC (gold).</summary>
    Constant,
}
