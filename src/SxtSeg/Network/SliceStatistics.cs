namespace SxtSeg.Network;

/// <summary>Statistics of a slice's real image area and the z-score they define.</summary>
/// <param name="Mean">Mean of the finite pixels.</param>
/// <param name="Std">Population standard deviation.</param>
/// <param name="Min">Smallest finite pixel.</param>
/// <param name="Max">Largest finite pixel.</param>
/// <param name="Flat">True when the slice is (nearly) flat: it is then only shifted, not scaled.</param>
public readonly record struct SliceStatistics(double Mean, double Std, double Min, double Max, bool Flat)
{
    /// <summary>The divisor of the z-score (the std, or 1 for a flat slice).</summary>
    public double Scale => Flat ? 1.0 : Std;

    /// <summary>Applies (v − mean) / scale in place; non-finite pixels become 0.</summary>
    public void Apply(Span<float> slice)
    {
        float m = (float)Mean;
        float inv = (float)(1.0 / Scale);
        for (int i = 0; i < slice.Length; i++)
        {
            float v = slice[i];
            slice[i] = float.IsFinite(v) ? (v - m) * inv : 0f;
        }
    }
}
