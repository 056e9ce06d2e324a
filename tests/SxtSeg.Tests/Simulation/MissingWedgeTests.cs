using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

public sealed class MissingWedgeTests
{
    /// <summary>A tomogram of one 80 nm gold bead, tilts ±<paramref name="maxTilt"/>° in 1° steps, plain ramp filter.</summary>
    private static SimulationResult Bead(double maxTilt, double photons)
    {
        var p = SimulationParameters.FromProfile("bessy-u41") with
        {
            Nx = 96, Ny = 16, Nz = 96, VoxelSizeNm = 10, IceLac = 0, TiltMinDeg = -maxTilt, TiltMaxDeg = maxTilt, TiltStepDeg = 1,
            Photons = photons, Flicker = 0, FlatFieldVariation = 0, ShiftPx = 0, AngleJitterDeg = 0, DetectorBlurPx = 0,
            DepthOfFocus = false, ZoneWidthNm = 25, Filter = FbpFilter.Ramp, FilterCutoff = 0.5, Seed = 11,
        };
        var bead = new SimObject(SimClass.GoldBead, "gold fiducial", new SphereShape(new V3(475, 75, 475), 40), 23.5);
        return Simulator.Simulate(Phantom.Create(p, new[] { bead }));
    }

    /// <summary>Full width at half maximum through the peak along x or z, by linear interpolation.</summary>
    internal static double Fwhm(Func<int, float> profile, float peak)
    {
        double half = peak / 2, width = 0;
        foreach (int dir in new[] { -1, 1 })
            for (int d = 1; d < 40; d++)
            {
                float v = profile(dir * d), v0 = profile(dir * (d - 1));
                if (v < half) { width += d - 1 + (v0 - half) / (v0 - v); break; }
            }
        return width;
    }

    [Theory]
    [InlineData(60.0, 0.0)]
    [InlineData(65.0, 0.0)]
    [InlineData(70.0, 0.0)]
    [InlineData(60.0, 20000.0)]
    public void BeadIsElongatedAlongZByRadermachersFactor(double maxTilt, double photons)
    {
        // Given a bead reconstructed from ±maxTilt
        var t = Bead(maxTilt, photons).Tomogram;
        // When its peak and full widths at half maximum along x and z are measured (row y = 7 through the centre)
        int y = 7, px = 0, pz = 0;
        float best = float.MinValue;
        for (int z = 20; z < 76; z++)
            for (int x = 20; x < 76; x++)
                if (t[z, y, x] > best) { best = t[z, y, x]; px = x; pz = z; }
        double fx = Fwhm(d => t[pz, y, px + d], best), fz = Fwhm(d => t[pz + d, y, px], best);
        // Then the bead sits where it was put and z/x elongation is within 15 % of Radermacher's factor
        Assert.InRange(px, 46, 49);
        Assert.InRange(pz, 46, 49);
        double expected = SimMath.RadermacherElongation(maxTilt);
        Assert.True(Math.Abs(fz / fx - expected) < 0.15 * expected, $"elongation {fz / fx:0.000} (FWHM z {fz:0.00} / x {fx:0.00}), Radermacher {expected:0.000}");
    }

    [Theory]
    [InlineData(60, 1.553)]
    [InlineData(65, 1.425)]
    [InlineData(70, 1.309)]
    public void RadermacherFactorMatchesTheLiterature(double tilt, double factor)
        => Assert.Equal(factor, SimMath.RadermacherElongation(tilt), 2);
}
