namespace SxtSeg.Simulation;

/// <summary>
/// Depth bands for a forward projection: depth t (voxels, along the beam, 0 at the rotation centre)
/// is cut into <see cref="Count"/> bands of <see cref="Step"/> voxels starting at <see cref="Start"/>;
/// depths before the first band go to band 0 and beyond the last to the last band. Each band's
/// projection can then be blurred with its own point spread function (depth of focus).
/// </summary>
/// <param name="Start">Depth where band 0 starts (voxels).</param>
/// <param name="Step">Band thickness (voxels, positive).</param>
/// <param name="Count">Number of bands (≥ 1).</param>
public readonly record struct DepthBands(double Start, double Step, int Count)
{
    /// <summary>One band holding every depth.</summary>
    public static DepthBands Single => new(0, 1, 1);

    /// <summary>Depth at the centre of band <paramref name="k"/> (voxels).</summary>
    public double Centre(int k) => Start + (k + 0.5) * Step;
}
