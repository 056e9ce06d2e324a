namespace SxtSeg.Measurement;

/// <summary>One object measured and its truth, with relative errors (measured / true − 1).</summary>
/// <param name="Truth">The analytic object.</param>
/// <param name="Measured">The measurement (null when the object has no voxels in the label volume).</param>
/// <param name="HasChildren">True when other objects name it as parent: its instance voxels exclude theirs, so it is not comparable.</param>
public sealed record TruthMatch(TruthObject Truth, ObjectMeasurement? Measured, bool HasChildren)
{
    /// <summary>Whether the object is compared in the summary: measured, not cut by the field of view, no children.</summary>
    public bool Comparable => Measured is not null && !Truth.CutByFieldOfView && !HasChildren;

    /// <summary>Relative volume error.</summary>
    public double VolumeError => Measured is null ? double.NaN : Measured.VolumeNm3 / Truth.VolumeNm3 - 1;

    /// <summary>Relative surface-area error.</summary>
    public double AreaError => Measured is null ? double.NaN : Measured.SurfaceAreaNm2 / Truth.SurfaceAreaNm2 - 1;

    /// <summary>Relative error of equivalent-ellipsoid axis k (0 major, 1 second, 2 third).</summary>
    public double AxisError(int k)
    {
        if (Measured is null || Truth.AxesNm.Length <= k || !(Truth.AxesNm[k] > 0)) return double.NaN;
        double m = k == 0 ? Measured.MajorAxisNm : k == 1 ? Measured.SecondAxisNm : Measured.ThirdAxisNm;
        return m / Truth.AxesNm[k] - 1;
    }
}
