namespace SxtSeg.Evaluation;

/// <summary>Recall of the visible membranes of one kind of structure (a class of a simulation's <c>truth.json</c>).</summary>
/// <param name="Class">The class name (endosome, endoplasmic_reticulum, vesicle, …; the cell's own class stands for its plasma membrane).</param>
/// <param name="Visible">Visible membrane voxels attributed to the class.</param>
/// <param name="Traced">Of those, the voxels within ±1 voxel (self or a face neighbour) of the prediction.</param>
public sealed record StructureRecallRow(string Class, long Visible, long Traced)
{
    /// <summary><see cref="Traced"/> / <see cref="Visible"/> (NaN when there is nothing visible).</summary>
    public double Recall => Visible == 0 ? double.NaN : (double)Traced / Visible;
}
