using SxtSeg.Simulation;

namespace SxtSeg.Tests.Simulation;

public sealed class ProjectorTests
{
    private static double[] Angles(double lo, double hi, double step)
    {
        var a = new List<double>();
        for (double t = lo; t <= hi + 1e-9; t += step) a.Add(t);
        return a.ToArray();
    }

    [Theory]
    [InlineData(37, 23, 41, -70, 68, 1.0)]
    [InlineData(64, 64, 64, -90, 90, 3.0)]
    [InlineData(20, 50, 30, -60, 60, 7.5)]
    public void BackProjectionIsTheExactAdjointOfForwardProjection(int w, int h, int d, double lo, double hi, double step)
    {
        // Given random x and y
        var p = new ParallelBeamProjector(w, h, d, Angles(lo, hi, step));
        var rng = new SimRandom(7);
        var x = new float[p.PlaneLength];
        var y = new float[p.SinogramLength];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.Gaussian();
        for (int i = 0; i < y.Length; i++) y[i] = (float)rng.Gaussian();
        // When
        var ax = new float[y.Length];
        var aty = new float[x.Length];
        p.Forward(x, ax);
        p.Back(y, aty);
        // Then ⟨Ax, y⟩ = ⟨x, Aᵀy⟩
        double lhs = 0, rhs = 0, scale = 0;
        for (int i = 0; i < y.Length; i++) { lhs += (double)ax[i] * y[i]; scale += Math.Abs((double)ax[i] * y[i]); }
        for (int i = 0; i < x.Length; i++) rhs += (double)x[i] * aty[i];
        Assert.True(Math.Abs(lhs - rhs) <= 1e-4 * Math.Max(Math.Abs(lhs), 1e-3 * scale), $"⟨Ax,y⟩ = {lhs}, ⟨x,Aᵀy⟩ = {rhs}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(30.0)]
    [InlineData(-55.0)]
    [InlineData(90.0)]
    public void ProjectionOfAUniformPlaneIsItsChordLength(double angle)
    {
        // Given a 40 × 40 plane of ones and a wide detector
        var p = new ParallelBeamProjector(40, 40, 80, new[] { angle });
        var ones = new float[p.PlaneLength];
        Array.Fill(ones, 1f);
        var s = new float[p.SinogramLength];
        // When
        p.Forward(ones, s);
        // Then the total mass is preserved (sum over bins = 40 × 40) and the central bin holds the
        // chord length through the square: 40 / max(|cos|, |sin|).
        double total = s.Sum(v => (double)v);
        Assert.Equal(1600, total, 2);
        double r = angle * Math.PI / 180;
        double chord = 40 / Math.Max(Math.Abs(Math.Cos(r)), Math.Abs(Math.Sin(r)));
        Assert.Equal(chord, s[40], 1);
    }

    [Theory]
    [InlineData(FbpFilter.Ramp)]
    [InlineData(FbpFilter.Hamming)]
    public void WeightedBackProjectionRecoversTheValueOfADisk(FbpFilter filter)
    {
        // Given a disk of value 0.5 and radius 20 in a 96 × 96 plane, full angular range
        int n = 96;
        var angles = Angles(-89, 90, 1);
        var p = new ParallelBeamProjector(n, n, n, angles);
        var plane = new float[n * n];
        for (int z = 0; z < n; z++)
            for (int x = 0; x < n; x++)
                if (Math.Pow(x - 47.5, 2) + Math.Pow(z - 47.5, 2) < 400) plane[z * n + x] = 0.5f;
        var sino = new float[p.SinogramLength];
        p.Forward(plane, sino);
        // When
        var rec = new float[n * n];
        new Reconstructor(n, n, n, angles, new ReconstructionOptions(ReconstructionMethod.Wbp, filter)).Reconstruct(sino, rec);
        // Then the centre (radius < 12) averages 0.5 within 2 % and the outside ring is near zero
        double inside = 0, outside = 0; int ni = 0, no = 0;
        for (int z = 0; z < n; z++)
            for (int x = 0; x < n; x++)
            {
                double r2 = Math.Pow(x - 47.5, 2) + Math.Pow(z - 47.5, 2);
                if (r2 < 144) { inside += rec[z * n + x]; ni++; }
                else if (r2 > 26 * 26 && r2 < 40 * 40) { outside += rec[z * n + x]; no++; }
            }
        Assert.Equal(0.5, inside / ni, 0.01);
        Assert.True(Math.Abs(outside / no) < 0.01, $"outside mean {outside / no}");
    }

    [Fact]
    public void SirtConvergesTowardsTheDisk()
    {
        // Given the same disk, ±60° (a missing wedge)
        int n = 64;
        var angles = Angles(-60, 60, 2);
        var p = new ParallelBeamProjector(n, n, n, angles);
        var plane = new float[n * n];
        for (int z = 0; z < n; z++)
            for (int x = 0; x < n; x++)
                if (Math.Pow(x - 31.5, 2) + Math.Pow(z - 31.5, 2) < 225) plane[z * n + x] = 1f;
        var sino = new float[p.SinogramLength];
        p.Forward(plane, sino);
        // When: 5 and 40 iterations
        double Error(int iterations)
        {
            var rec = new float[n * n];
            new Reconstructor(n, n, n, angles, new ReconstructionOptions(ReconstructionMethod.Sirt, Iterations: iterations)).Reconstruct(sino, rec);
            var re = new float[sino.Length];
            p.Forward(rec, re);
            double e = 0, t = 0;
            for (int i = 0; i < re.Length; i++) { e += Math.Pow(re[i] - sino[i], 2); t += sino[i] * (double)sino[i]; }
            return Math.Sqrt(e / t);
        }
        double e5 = Error(5), e40 = Error(40);
        // Then the projection residual falls, and is small after 40 iterations
        Assert.True(e40 < e5 * 0.5, $"residual {e5} → {e40}");
        Assert.True(e40 < 0.05, $"residual after 40 iterations {e40}");
    }

    [Fact]
    public void DepthBandsPartitionTheProjection()
    {
        // Given a random plane
        var angles = Angles(-70, 70, 10);
        var p = new ParallelBeamProjector(30, 20, 36, angles);
        var rng = new SimRandom(3);
        int L = ParallelBeamProjector.Lanes;
        var plane = new float[p.PlaneLength * L];
        for (int i = 0; i < plane.Length; i++) plane[i] = (float)rng.NextDouble();
        // When projected into one band and into 4 bands
        var one = new float[p.SinogramLength * L];
        var four = new float[p.SinogramLength * L * 4];
        p.ForwardBatch(plane, one, DepthBands.Single);
        p.ForwardBatch(plane, four, new DepthBands(-8, 4, 4));
        // Then the bands sum to the single projection, and more than one band is used
        int used = 0;
        for (int k = 0; k < 4; k++)
            if (four.AsSpan(k * one.Length, one.Length).ToArray().Any(v => v != 0)) used++;
        Assert.True(used >= 3);
        for (int i = 0; i < one.Length; i++)
        {
            double s = 0;
            for (int k = 0; k < 4; k++) s += four[k * one.Length + i];
            Assert.True(Math.Abs(one[i] - s) < 1e-5 * Math.Max(1, Math.Abs(s)), $"bin {i}: {one[i]} vs {s}");
        }
    }

    [Fact]
    public void OneAngleAloneProjectsAVoxelIntoTheBinAndDepthBandWorkedOutByHand()
    {
        // Given a 5 × 4 plane (W × H) with one voxel of value 2 at x = 1, z = 3 (X = −1, Z = 1.5
        // from the centre) in lane 0, five detector bins and depth bands of 1 voxel from −2
        var p = new ParallelBeamProjector(5, 4, 5, new[] { -90.0, 0.0, 90.0 });
        int L = ParallelBeamProjector.Lanes;
        var plane = new float[p.PlaneLength * L];
        plane[(3 * 5 + 1) * L] = 2f;
        var bands = new DepthBands(-2, 1, 4);
        var extent = p.Extent(plane);
        var lines = new float[p.Detectors * L * bands.Count];
        float At(int band, int bin) => lines[(band * p.Detectors + bin) * L];

        // When projected at 0°: u = X cos θ + Z sin θ + D/2 = 1.5 is the centre of bin 1, and the
        // depth t = −X sin θ + Z cos θ = 1.5 lies in band ⌊(1.5 + 2) / 1⌋ = 3
        p.ForwardAngle(plane, extent, 1, bands, lines);
        // Then bin 1 of band 3 holds the whole voxel and nothing else is set
        Assert.Equal(2f, At(3, 1));
        Assert.Equal(2f, lines.Sum());

        // When projected at 90°: u = Z + 2.5 = 4, so the voxel's footprint [3.5, 4.5] is split half
        // and half between bins 3 and 4, and t = −X = 1 lies in band 3
        p.ForwardAngle(plane, extent, 2, bands, lines);
        Assert.Equal(1f, At(3, 3));
        Assert.Equal(1f, At(3, 4));
        Assert.Equal(2f, lines.Sum());

        // When projected at −90°: u = −Z + 2.5 = 1 splits it between bins 0 and 1, t = X = −1 in band 1
        p.ForwardAngle(plane, extent, 0, bands, lines);
        Assert.Equal(1f, At(1, 0));
        Assert.Equal(1f, At(1, 1));
        Assert.Equal(2f, lines.Sum());
    }

    [Fact]
    public void EachAngleAloneIsExactlyThatAnglesPartOfTheBandedProjection()
    {
        // Given a random sparse plane and depth bands that differ per angle
        var angles = Angles(-65, 65, 5);
        var p = new ParallelBeamProjector(40, 24, 44, angles);
        var rng = new SimRandom(5);
        int L = ParallelBeamProjector.Lanes;
        var plane = new float[p.PlaneLength * L];
        for (int i = 0; i < plane.Length; i++) plane[i] = rng.NextDouble() < 0.3 ? (float)rng.NextDouble() : 0f;
        var bands = angles.Select((a, i) => new DepthBands(-20 + i % 3, 8 + i % 2, 3 + i % 3)).ToArray();
        var all = new float[p.SinogramLength * L * 5];
        p.ForwardBatch(plane, all, bands, 5);
        var extent = p.Extent(plane);
        for (int a = 0; a < angles.Length; a++)
        {
            // When angle a is projected alone (into a buffer dirty from the previous angle)
            var lines = new float[p.Detectors * L * bands[a].Count];
            lines.AsSpan().Fill(7f);
            p.ForwardAngle(plane, extent, a, bands[a], lines);
            // Then every value equals that angle's bins of the batched projection, bit for bit
            for (int k = 0; k < bands[a].Count; k++)
                for (int d = 0; d < p.Detectors * L; d++)
                    Assert.Equal(all[(k * p.SinogramLength + a * p.Detectors) * L + d], lines[k * p.Detectors * L + d]);
        }
    }
}
