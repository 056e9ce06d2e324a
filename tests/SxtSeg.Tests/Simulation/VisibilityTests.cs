using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

/// <summary>
/// The ignore mask (membranes an x–y slice cannot show): checked voxel by voxel against the
/// analytic normal of a sphere and a tube, with the thresholds computed by hand from the profile.
/// </summary>
public sealed class VisibilityTests
{
    private const double D = 10;

    // bessy-u41: tilts ±65°, so the cone about z is 90 − 65 + 10 = 35°; face-on 25°; wedge depth 10°.
    private static bool ExpectedHidden(V3 n, out double margin)
    {
        double ax = Math.Abs(n.X), az = Math.Abs(n.Z);
        double angleToZ = Math.Acos(Math.Min(1, az)) * 180 / Math.PI;
        double depth = Math.Asin(Math.Clamp(Math.Cos(65 * Math.PI / 180) * az - Math.Sin(65 * Math.PI / 180) * ax, -1, 1)) * 180 / Math.PI;
        // Distance (degrees) to the nearest decision boundary: voxels this close are not judged.
        margin = Math.Min(Math.Abs(angleToZ - 35), Math.Abs(depth - 10));
        return angleToZ < 35 || depth > 10;
    }

    [Fact]
    public void SphereMembraneIsHiddenExactlyWhereItsNormalLiesInTheMissingWedge()
    {
        // Given a vesicle of radius 167 nm, shell half-width 1.25 voxels, ignore band 1 voxel
        var p = PhantomTestKit.Small();
        var c = new V3(313.3, 318.1, 322.7);
        var o = new SimObject(SimClass.Vesicle, "vesicle", new SphereShape(c, 167), 0.2) { MembraneOffsetsNm = new[] { 0.0 } };
        // When it is rasterised
        var (_, mem, ign, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(p, new[] { o }));
        // Then every voxel is: a visible membrane (membrane, not ignored), a hidden membrane (membrane and
        // ignored), the band beside a hidden membrane (ignored, not membrane), or plain background
        int visible = 0, hidden = 0, band = 0;
        for (int z = 0; z < 64; z++)
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 64; x++)
                {
                    var v = new V3(x * D, y * D, z * D) - c;
                    double d = v.Length - 167;
                    if (Math.Abs(Math.Abs(d) - 12.5) < 0.5 || Math.Abs(Math.Abs(d) - 22.5) < 0.5) continue;
                    bool hide = ExpectedHidden(v.Normalized(), out double margin);
                    if (margin < 3 && Math.Abs(d) <= 23) continue;
                    bool expMem = Math.Abs(d) <= 12.5;
                    bool expIgn = hide && Math.Abs(d) <= 22.5;
                    Assert.True(expMem == (mem[z, y, x] == 1), $"membrane at ({x},{y},{z}), d={d:0.0}");
                    Assert.True(expIgn == (ign[z, y, x] == 1), $"ignore at ({x},{y},{z}), d={d:0.0}, n={v.Normalized()}");
                    if (expMem && !hide) visible++;
                    else if (expMem) hidden++;
                    else if (expIgn) band++;
                }
        // and all three kinds occur (the test is not vacuous)
        Assert.True(visible > 1000 && hidden > 500 && band > 500, $"visible {visible}, hidden {hidden}, band {band}");
    }

    [Fact]
    public void PolesOfASphereAreHiddenAndItsEquatorIsVisible()
    {
        // Given the same vesicle
        var p = PhantomTestKit.Small();
        var c = new V3(320, 320, 320);
        var o = new SimObject(SimClass.Vesicle, "vesicle", new SphereShape(c, 167), 0.2) { MembraneOffsetsNm = new[] { 0.0 } };
        var (_, mem, ign, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(p, new[] { o }));
        // Then the top and bottom of the sphere (normal along z) are hidden membranes
        int top = (int)Math.Round((320 + 167) / D), bottom = (int)Math.Round((320 - 167) / D);
        Assert.Equal(1, mem[top, 32, 32]);
        Assert.Equal(1, ign[top, 32, 32]);
        Assert.Equal(1, mem[bottom, 32, 32]);
        Assert.Equal(1, ign[bottom, 32, 32]);
        // and the rim in the equatorial slice (normals along x and y) is visible
        int r = (int)Math.Round((320 + 167) / D);
        foreach (var (y, x) in new[] { (32, r), (32, 64 - r), (r, 32), (64 - r, 32) })
        {
            Assert.Equal(1, mem[32, y, x]);
            Assert.Equal(0, ign[32, y, x]);
        }
    }

    [Fact]
    public void BackgroundBetweenTwoMembranesCloserThanTheResolutionIsIgnored()
    {
        // Given a mitochondrion along y (normals in the x–z plane) with membranes 20 nm apart, thin shells
        // (half-width 0.5 voxel), imaged at 30.5 nm resolution (25 nm zone plate)
        var p = PhantomTestKit.Small(shell: 0.5);
        var t = new TubeShape(new[] { new V3(321, 150, 322), new V3(321, 480, 322) }, 150);
        var o = new SimObject(SimClass.Mitochondrion, "mitochondrion", t, 0.35) { MembraneOffsetsNm = new[] { 0.0, -20 } };
        var (_, mem, ign, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(p, new[] { o }));
        // Then along x through the axis height (z = 32: normals along x, visible), voxels between the two
        // membranes (distance to the surface in (−20, 0) nm, not within 5 nm of either) are ignored, the
        // membranes themselves are visible, and everything else is plain background
        int checkedGap = 0;
        for (int x = 0; x < 64; x++)
        {
            double rho = Math.Sqrt(Math.Pow(x * D - 321, 2) + Math.Pow(320 - 322, 2));
            double d = rho - 150;
            if (Math.Abs(Math.Abs(d) - 5) < 0.5 || Math.Abs(Math.Abs(d + 20) - 5) < 0.5 || Math.Abs(d) < 0.5 || Math.Abs(d + 20) < 0.5) continue;
            bool membrane = Math.Abs(d) <= 5 || Math.Abs(d + 20) <= 5;
            bool gap = !membrane && d > -20 && d < 0;
            Assert.True(membrane == (mem[32, 32, x] == 1), $"membrane at x={x}, d={d:0.0}");
            Assert.True(gap == (ign[32, 32, x] == 1), $"ignore at x={x}, d={d:0.0}");
            if (gap) checkedGap++;
        }
        Assert.True(checkedGap >= 2, $"{checkedGap} gap voxels checked");
    }

    [Fact]
    public void WithoutAMissingWedgeOnlyFaceOnMembranesAreHidden()
    {
        // Given a full ±90° tilt range (no wedge): only normals within 25° of z are hidden
        var p = PhantomTestKit.Small() with { Geometry = SampleGeometry.Capillary, TiltMinDeg = -90, TiltMaxDeg = 90, TiltStepDeg = 2, IceThicknessNm = 0 };
        var c = new V3(320, 320, 320);
        var o = new SimObject(SimClass.Vesicle, "vesicle", new SphereShape(c, 167), 0.2) { MembraneOffsetsNm = new[] { 0.0 } };
        var (_, mem, ign, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(p, new[] { o }));
        // Then membrane voxels are hidden exactly when their normal is within 25° of z (3° either side not judged)
        for (int z = 0; z < 64; z++)
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 64; x++)
                {
                    if (mem[z, y, x] == 0) continue;
                    var n = (new V3(x * D, y * D, z * D) - c).Normalized();
                    double angle = Math.Acos(Math.Abs(n.Z)) * 180 / Math.PI;
                    if (Math.Abs(angle - 25) < 3) continue;
                    Assert.True((angle < 25) == (ign[z, y, x] == 1), $"({x},{y},{z}) normal {angle:0.0}° from z");
                }
    }

    private static (double[] Sin, double[] Cos) Tilts(int lo, int hi)
    {
        var sin = new double[hi - lo + 1];
        var cos = new double[hi - lo + 1];
        for (int a = lo; a <= hi; a++)
        {
            sin[a - lo] = Math.Sin(a * Math.PI / 180);
            cos[a - lo] = Math.Cos(a * Math.PI / 180);
        }
        return (sin, cos);
    }

    [Fact]
    public void TheSharpestEdgeOnViewOfAMembraneIsFoundByHand()
    {
        var (sin, cos) = Tilts(-65, 65);
        double window = Math.Sin(9.5 * Math.PI / 180);
        // A normal at 45° in x–z is edge-on at 45°; within 9.5° of it: tilts 36..54°. At x = 200, z = 0 the
        // depth along the beam is −200 sin θ, nearest the focal plane at 36°: 200 sin 36° = 117.557
        Assert.Equal(200 * Math.Sin(36 * Math.PI / 180), PhantomRenderer.SharpestDefocus(1, 0, 1, 200, 0, 0, sin, cos, window), 9);
        // the focal plane 20 voxels deeper: |−200 sin 36° − 20| = 137.557 at 36°
        Assert.Equal(200 * Math.Sin(36 * Math.PI / 180) + 20, PhantomRenderer.SharpestDefocus(1, 0, 1, 200, 0, 20, sin, cos, window), 9);
        // A normal along y is edge-on at every tilt: at x = 200, z = 50 the depth −200 sin θ + 50 cos θ
        // is nearest 0 at 14° (−48.3844 + 48.5148 = 0.1304)
        Assert.Equal(Math.Abs(-200 * Math.Sin(14 * Math.PI / 180) + 50 * Math.Cos(14 * Math.PI / 180)),
            PhantomRenderer.SharpestDefocus(0, 3, 0, 200, 50, 0, sin, cos, window), 9);
        // A normal along z is edge-on at 90°, beyond the last tilt (the missing wedge's business): no view
        Assert.Equal(double.PositiveInfinity, PhantomRenderer.SharpestDefocus(0, 0, 1, 200, 0, 0, sin, cos, window));
    }

    [Fact]
    public void AMembraneOutOfFocusInEveryEdgeOnViewIsHiddenOnlyWhenAsked()
    {
        // Given vesicles of radius 80 nm (8 voxels) in the slab's mid-depth (z index 32: 0.5 voxel below the
        // centre), one 20.5 voxels from the tilt axis (x index 52; the axis is at 31.5) and one on it
        // (x index 32), and the defocus rule at 0.05 depths of focus (1042.5 nm → 5.2 voxels)
        var p = PhantomTestKit.Small() with { IgnoreDefocus = 0.05 };
        SimObject Vesicle(double xNm) => new(SimClass.Vesicle, "vesicle", new SphereShape(new V3(xNm, 320, 320), 80), 0.2) { MembraneOffsetsNm = new[] { 0.0 } };
        var (_, memRule, ignRule, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(p, new[] { Vesicle(520) }));
        var (_, _, ignNoRule, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(p with { IgnoreDefocus = 0 }, new[] { Vesicle(520) }));
        var (_, memAxis, ignAxis, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(p, new[] { Vesicle(320) }));
        // Then, off the axis, the membrane at 45° in x–z (voxel x 58, z 38: x 26.5, z 6.5 from the axis and
        // the centre) is edge-on at tilts 35–55°, where its depth along the beam is at least
        // |−26.5 sin 35° + 6.5 cos 35°| = 9.9 voxels from the focal plane: hidden with the rule, visible without it
        Assert.Equal(1, memRule[38, 32, 58]);
        Assert.Equal(1, ignRule[38, 32, 58]);
        Assert.Equal(0, ignNoRule[38, 32, 58]);
        // the same at −45° (voxel x 58, z 26)
        Assert.Equal(1, memRule[26, 32, 58]);
        Assert.Equal(1, ignRule[26, 32, 58]);
        // the rim facing away from the axis (normal along x, voxel x 60, z 32: 28.5 and 0.5) is edge-on at
        // tilts −10..10°, where −28.5 sin θ + 0.5 cos θ comes within 0.003 voxels of the focal plane (1°): visible
        Assert.Equal(1, memRule[32, 32, 60]);
        Assert.Equal(0, ignRule[32, 32, 60]);
        // On the axis the same 45° membrane (voxel x 38, z 38: 6.5 and 6.5) is in focus at 45°: visible
        Assert.Equal(1, memAxis[38, 32, 38]);
        Assert.Equal(0, ignAxis[38, 32, 38]);
        // and the rule only ever adds to the mask
        for (int i = 0; i < ignNoRule.Data.Length; i++) Assert.True(ignNoRule.Data[i] <= ignRule.Data[i]);
        // Normals no tilt shows edge-on are the missing-wedge rules' alone: with those rules relaxed (wedge
        // depth 20°) and a defocus limit no membrane here reaches (100 depths of focus), the mask is the rule-less one
        var relaxed = p with { IgnoreWedgeDepthDeg = 20 };
        var (_, _, ignFar, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(relaxed with { IgnoreDefocus = 100 }, new[] { Vesicle(320) }));
        var (_, _, ignNone, _, _) = PhantomTestKit.RasteriseWithIgnore(Phantom.Create(relaxed with { IgnoreDefocus = 0 }, new[] { Vesicle(320) }));
        Assert.Equal(ignNone.Data, ignFar.Data);
    }
}

/// <summary>The label codes the renderer writes, split into membranes and ignore and joined back.</summary>
public sealed class LabelCodeTests
{
    [Fact]
    public void CodesSplitIntoMembraneAndIgnoreAndJoinBack()
    {
        // Given the codes 0, visible, hidden, band, visible|band (visible wins), hidden|band
        byte[] codes = { 0, 1, 2, 4, 5, 6 };
        var mem = new byte[6];
        var ign = new byte[6];
        // When split
        LabelCodes.Split(codes, mem, ign);
        // Then by hand: membrane where bit 1 or 2, ignored where not visible but not 0
        Assert.Equal(new byte[] { 0, 1, 1, 0, 1, 1 }, mem);
        Assert.Equal(new byte[] { 0, 0, 1, 1, 0, 1 }, ign);
        // and joined back into the canonical codes
        var back = new byte[6];
        LabelCodes.Join(mem, ign, back);
        Assert.Equal(new byte[] { 0, 1, 2, 4, 1, 2 }, back);
    }
}
