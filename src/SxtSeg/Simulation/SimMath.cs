namespace SxtSeg.Simulation;

/// <summary>Small numerical helpers.</summary>
public static class SimMath
{
    private static readonly double[] SmallLogFactorials = BuildLogFactorials();

    private static double[] BuildLogFactorials()
    {
        var t = new double[32];
        for (int i = 1; i < t.Length; i++) t[i] = t[i - 1] + Math.Log(i);
        return t;
    }

    /// <summary>ln(k!) (table below 32, Stirling series above; relative error below 1e-12).</summary>
    public static double LogFactorial(long k)
    {
        if (k < 0) return double.NaN;
        if (k < SmallLogFactorials.Length) return SmallLogFactorials[k];
        double x = k + 1.0, ix = 1.0 / x, ix2 = ix * ix;
        return (x - 0.5) * Math.Log(x) - x + 0.918938533204672742 + ix * (1.0 / 12 - ix2 * (1.0 / 360 - ix2 / 1260));
    }

    /// <summary>Inverse of the standard normal CDF for p in (0, 1) (Acklam 2003; relative error below 1.2e-9).</summary>
    public static double InverseNormal(double p)
    {
        const double a1 = -3.969683028665376e+01, a2 = 2.209460984245205e+02, a3 = -2.759285104469687e+02, a4 = 1.383577518672690e+02, a5 = -3.066479806614716e+01, a6 = 2.506628277459239e+00;
        const double b1 = -5.447609879822406e+01, b2 = 1.615858368580409e+02, b3 = -1.556989798598866e+02, b4 = 6.680131188771972e+01, b5 = -1.328068155288572e+01;
        const double c1 = -7.784894002430293e-03, c2 = -3.223964580411365e-01, c3 = -2.400758277161838e+00, c4 = -2.549732539343734e+00, c5 = 4.374664141464968e+00, c6 = 2.938163982698783e+00;
        const double d1 = 7.784695709041462e-03, d2 = 3.224671290700398e-01, d3 = 2.445134137142996e+00, d4 = 3.754408661907416e+00;
        const double plow = 0.02425, phigh = 1 - plow;
        if (p < plow)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
        }
        if (p > phigh)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
        }
        double r = p - 0.5, s = r * r;
        return (((((a1 * s + a2) * s + a3) * s + a4) * s + a5) * s + a6) * r / (((((b1 * s + b2) * s + b3) * s + b4) * s + b5) * s + 1);
    }

    /// <summary>Hermite smooth step of t clamped to [0, 1].</summary>
    public static double SmoothStep(double t)
    {
        t = Math.Clamp(t, 0, 1);
        return t * t * (3 - 2 * t);
    }

    /// <summary>Polynomial smooth maximum of a and b with blending width k (k ≤ 0: plain max).</summary>
    public static double SmoothMax(double a, double b, double k)
    {
        if (k <= 0) return Math.Max(a, b);
        double h = Math.Clamp(0.5 + 0.5 * (a - b) / k, 0, 1);
        return b + (a - b) * h + k * h * (1 - h);
    }

    /// <summary>The error function (Abramowitz–Stegun 7.1.26 refined; absolute error below 1.5e-7).</summary>
    public static double Erf(double x)
    {
        double s = Math.Sign(x);
        x = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.3275911 * x);
        double y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return s * y;
    }

    /// <summary>Radermacher's missing-wedge elongation factor along z for a tilt range of ±<paramref name="maxTiltDeg"/>.</summary>
    public static double RadermacherElongation(double maxTiltDeg)
    {
        double a = maxTiltDeg * Math.PI / 180, sc = Math.Sin(a) * Math.Cos(a);
        return Math.Sqrt((a + sc) / (a - sc));
    }
}
