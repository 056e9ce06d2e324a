namespace SxtSeg.Measurement.Filopodia;

/// <summary>A truth filopodium and the detection it was matched with (by voxel overlap), with relative errors (found / true − 1).</summary>
/// <param name="Truth">The truth.</param>
/// <param name="TruthVoxels">Its voxels in instances.mrc.</param>
/// <param name="TruthSecondAxis2D">Mean 2D second axis of its instance voxels over their slices (nm), measured as the detections are.</param>
/// <param name="Found">The matched detection, or null (missed).</param>
/// <param name="Overlap">Voxels shared with the detection.</param>
/// <param name="TouchesBorder">Its instance voxels touch a face of the volume (cut in the data even when the analytic shape just fits).</param>
public sealed record FilopodiumMatch(TruthFilopodium Truth, long TruthVoxels, double TruthSecondAxis2D, Filopodium? Found, long Overlap, bool TouchesBorder = false)
{
    /// <summary>Counted for recall and errors: not cut by the field of view (analytically or in its voxels), and present in the labels.</summary>
    public bool Scored => !Truth.CutByFieldOfView && !TouchesBorder && TruthVoxels > 0;

    /// <summary>Relative volume error.</summary>
    public double VolumeError => Found is null ? double.NaN : Found.VolumeNm3 / Truth.VolumeNm3 - 1;

    /// <summary>Relative membrane-area error.</summary>
    public double AreaError => Found is null ? double.NaN : Found.SurfaceAreaNm2 / Truth.SurfaceAreaNm2 - 1;

    /// <summary>Relative error of equivalent-ellipsoid axis k (0 major, 1 second, 2 third).</summary>
    public double AxisError(int k)
    {
        if (Found is null || Truth.AxesNm.Length <= k) return double.NaN;
        var m = Found.Measures;
        return (k == 0 ? m.MajorAxisNm : k == 1 ? m.SecondAxisNm : m.ThirdAxisNm) / Truth.AxesNm[k] - 1;
    }

    /// <summary>Relative length error (base to tip).</summary>
    public double LengthError => Found is null ? double.NaN : Found.LengthNm / Truth.LengthNm - 1;

    /// <summary>Relative error of the mean 2D second axis, against the same measure on the instance voxels.</summary>
    public double SecondAxis2DError => Found is null ? double.NaN : Found.Measures.SecondAxis2D.Mean / TruthSecondAxis2D - 1;
}
