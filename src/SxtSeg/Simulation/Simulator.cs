using System.Numerics;
using System.Runtime.InteropServices;
using SxtSeg.Volumes;

namespace SxtSeg.Simulation;

/// <summary>
/// Simulates a cryo-SXT tomogram with exact ground truth: builds the analytic phantom, then,
/// slab of rows by slab of rows along the tilt axis, rasterises the specimen and the labels,
/// projects every x–z plane at every (jittered) tilt into depth bands, blurs each band with the
/// zone-plate PSF for its defocus (plus the projection's residual shift), adds the ice slab
/// analytically, applies Beer–Lambert with flat-field non-uniformity, flicker, Poisson and read
/// noise, takes −ln of the flat-field-normalised counts, and reconstructs each plane with WBP or
/// SIRT at the nominal angles. Deterministic: same parameters and seed give identical voxels
/// whatever the thread count.
/// </summary>
public static class Simulator
{
    /// <summary>
    /// Simulates from parameters (validated here; a random appearance is drawn first, see
    /// <see cref="AppearanceRandomiser"/>); the outputs are returned as in-memory volumes.
    /// </summary>
    public static SimulationResult Simulate(SimulationParameters parameters, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        parameters.Validate();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var phantom = Phantom.Build(parameters, progress);
        double build = sw.Elapsed.TotalSeconds;
        var result = Simulate(phantom, progress, cancellation);
        result.Timings["phantom"] = build;
        return result;
    }

    /// <summary>Simulates the acquisition and reconstruction of a given phantom into in-memory volumes.</summary>
    public static SimulationResult Simulate(Phantom phantom, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
        => Simulate(phantom, progress, cancellation, null);

    /// <summary>As above with a forced slab height (tests: the output must not depend on it).</summary>
    internal static SimulationResult Simulate(Phantom phantom, IProgress<ProgressUpdate>? progress, CancellationToken cancellation, int? slabRows)
    {
        var p = phantom.Parameters;
        var sink = new VolumeSink(p, p.TiltAngles().Length);
        var (acq, timings) = Run(phantom, sink, progress, cancellation, slabRows);
        var result = new SimulationResult(p, phantom, acq, sink.Tomogram, sink.Membranes, sink.Ignore, sink.Classes, sink.Instances, sink.TiltSeries);
        foreach (var kv in timings) result.Timings[kv.Key] = kv.Value;
        return result;
    }

    /// <summary>
    /// Simulates straight into the staged output <paramref name="folder"/> (the caller commits it):
    /// each slab of rows is written to the MRC files as soon as it is reconstructed, so memory stays
    /// at a few hundred MB whatever the size. The files are identical to those of
    /// <see cref="SimulationResult.Save(string, Provenance, IProgress{ProgressUpdate})"/>.
    /// </summary>
    public static SimulationReport SimulateToFolder(SimulationParameters parameters, OutputFolder folder, Provenance provenance,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        parameters.Validate();
        parameters = AppearanceRandomiser.Resolve(parameters);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var phantom = Phantom.Build(parameters, progress);
        double build = sw.Elapsed.TotalSeconds;
        using var sink = new FolderSink(folder, parameters, parameters.TiltAngles().Length, provenance);
        var (acq, timings) = Run(phantom, sink, progress, cancellation);
        var objects = SimulationResult.TruthObjects(phantom);
        sw.Restart();
        sink.Finish(phantom, acq, objects, progress);
        timings["write"] = sw.Elapsed.TotalSeconds;
        timings["phantom"] = build;
        return new SimulationReport(parameters, phantom, acq, objects, sink.PreviewSlice, timings);
    }

    /// <summary>The simulation loop: slabs of rows along the tilt axis, each written to <paramref name="sink"/>.</summary>
    internal static (Acquisition Acquisition, Dictionary<string, double> Timings) Run(Phantom phantom, ISimulationSink sink,
        IProgress<ProgressUpdate>? progress, CancellationToken cancellation, int? forcedSlabRows = null)
    {
        var p = phantom.Parameters;
        int nx = p.Nx, ny = p.Ny, nz = p.Nz, W = phantom.Width, M = phantom.MarginX;
        int L = ParallelBeamProjector.Lanes;
        var acq = new Acquisition(p, nx, ny, phantom);
        int nAngles = acq.Nominal.Length;
        var renderer = new PhantomRenderer(phantom);
        var forward = new ParallelBeamProjector(W, nz, nx, acq.Actual);
        var recon = new Reconstructor(nx, nz, nx, acq.Nominal, new ReconstructionOptions(p.Reconstruction, p.Filter, p.SirtIterations, 1.0, p.FilterCutoff, p.FilterFalloff));
        double dUm = p.VoxelSizeNm * 1e-3;
        bool slab = phantom.Geometry == SampleGeometry.Slab;
        var slabIntegral = new double[nAngles];
        for (int a = 0; a < nAngles; a++) slabIntegral[a] = slab ? phantom.SlabLineIntegral(acq.Actual[a]) : 0;

        // Halo rows for the PSF and the shifts along y.
        double maxSigma = acq.BandSigmaPx.Max(s => s.Max());
        double maxShift = acq.ShiftV.Select(Math.Abs).DefaultIfEmpty(0).Max();
        int halo = Math.Min(phantom.HaloY, (int)Math.Ceiling(3.5 * maxSigma + maxShift + 3.5 * p.DetectorBlurPx) + 2);
        // Rows per slab: slab buffers of 0.4–1.5 GB depending on the memory available (the halo rows
        // are overhead, so larger slabs are faster; the output does not depend on the slab size).
        long perRow = (long)nz * W * 4 + (long)acq.BandCount * nAngles * nx * 4 + (long)nz * nx * 8 + (p.KeepTiltSeries ? (long)nAngles * nx * 4 : 0);
        long budget = Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8, 400_000_000L, 1_500_000_000L);
        int slabRows = (int)Math.Clamp(budget / Math.Max(perRow, 1), L, 128);
        slabRows = Math.Max(L, slabRows / L * L);
        if (forcedSlabRows is { } forced) slabRows = Math.Max(L, forced / L * L);
        int K = acq.BandCount;

        var timings = new Dictionary<string, double> { ["render"] = 0, ["project"] = 0, ["detect"] = 0, ["reconstruct"] = 0 };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        double Lap() { double t = watch.Elapsed.TotalSeconds; watch.Restart(); return t; }
        // Slab buffers, allocated once and reused (ForwardBatch and ReconstructBatch overwrite their outputs).
        int maxAll = (slabRows + 2 * halo + L - 1) / L, maxOut = slabRows / L;
        var planes = new float[maxAll][];
        var bandSino = new float[maxAll][];
        for (int b = 0; b < maxAll; b++)
        {
            planes[b] = new float[nz * W * L];
            bandSino[b] = new float[K * nAngles * nx * L];
        }
        // Output blocks of one slab, [z][row][x] (tilt: [projection][row][x]).
        var outTomo = new float[nz * slabRows * nx];
        var outMem = new byte[nz * slabRows * nx];
        var outCls = new byte[nz * slabRows * nx];
        var outInst = new ushort[nz * slabRows * nx];
        var outTilt = p.KeepTiltSeries ? new float[nAngles * slabRows * nx] : null;
        var sino = new float[maxOut][];
        var recPlanes = new float[maxOut][];
        for (int b = 0; b < maxOut; b++)
        {
            sino[b] = new float[nAngles * nx * L];
            recPlanes[b] = new float[nz * nx * L];
        }
        var rowPool = new System.Collections.Concurrent.ConcurrentBag<PhantomRow>();
        progress.Report("simulating", 0, ny, "rows");
        for (int y0 = 0; y0 < ny; y0 += slabRows)
        {
            cancellation.ThrowIfCancellationRequested();
            int y1 = Math.Min(ny, y0 + slabRows), rowsOut = y1 - y0;
            int yA = y0 - halo, rowsAll = rowsOut + 2 * halo;
            int nbAll = (rowsAll + L - 1) / L, nbOut = (rowsOut + L - 1) / L;

            // 1. Rasterise rows (with halo): Δμ·voxel (per-voxel attenuation) interleaved by lanes; labels of the field of view.
            for (int b = 0; b < nbAll; b++) Array.Clear(planes[b]);
            Parallel.For(0, rowsAll, () => rowPool.TryTake(out var pooled) ? pooled : new PhantomRow(phantom), (r, _, row) =>
            {
                int y = yA + r;
                bool inside = y >= y0 && y < y1;
                renderer.RenderRow(y, row, inside);
                var plane = planes[r / L];
                int lane = r % L;
                for (int z = 0; z < nz; z++)
                {
                    float sub = slab ? phantom.SlabProfile[z] : 0f;
                    int src = z * W, dst = z * W;
                    for (int x = 0; x < W; x++) plane[(dst + x) * L + lane] = (float)((row.Lac[src + x] - sub) * dUm);
                }
                if (inside)
                {
                    int ro = y - y0;
                    for (int z = 0; z < nz; z++)
                    {
                        int o = (z * rowsOut + ro) * nx;
                        row.Membranes.AsSpan(z * nx, nx).CopyTo(outMem.AsSpan(o, nx));
                        row.Classes.AsSpan(z * nx, nx).CopyTo(outCls.AsSpan(o, nx));
                        row.Instances.AsSpan(z * nx, nx).CopyTo(outInst.AsSpan(o, nx));
                    }
                }
                return row;
            }, row => rowPool.Add(row));
            timings["render"] += Lap();
            cancellation.ThrowIfCancellationRequested();

            // 2. Project into depth bands.
            Parallel.For(0, nbAll, b => forward.ForwardBatch(planes[b], bandSino[b], acq.Bands, K));
            timings["project"] += Lap();
            cancellation.ThrowIfCancellationRequested();

            // 3. PSF per band and shift, slab integral, photon statistics, −ln: sinograms of the output rows.
            for (int b = 0; b < nbOut; b++) Array.Clear(sino[b]);
            Parallel.For(0, nAngles, () => (new float[rowsAll * nx], new float[rowsAll * nx], new float[rowsAll * nx]), (a, _, bufs) =>
            {
                var (img, tmp, acc) = bufs;
                Array.Clear(acc);
                var bands = acq.Bands[a];
                for (int k = 0; k < bands.Count; k++)
                {
                    int uMin = nx, uMax = -1;
                    for (int b = 0; b < nbAll; b++)
                    {
                        var src = bandSino[b];
                        int baseIdx = ((k * nAngles + a) * nx) * L;
                        int lanes = Math.Min(L, rowsAll - b * L);
                        for (int u = 0; u < nx; u++)
                        {
                            bool any = false;
                            for (int lane = 0; lane < lanes; lane++)
                            {
                                float v = src[baseIdx + u * L + lane];
                                img[(b * L + lane) * nx + u] = v;
                                any |= v != 0;
                            }
                            if (any) { if (u < uMin) uMin = u; if (u > uMax) uMax = u; }
                        }
                    }
                    if (uMax < 0) continue;
                    double sigma = acq.BandSigmaPx[a][k];
                    var ku = Acquisition.Kernel(sigma, acq.ShiftU[a], nx / 2);
                    var kv = Acquisition.Kernel(sigma, acq.ShiftV[a], halo);
                    // Blur only where this band (spread by the kernel) reaches; elsewhere it adds nothing.
                    int lo = Math.Max(0, uMin - ku.Length), hi = Math.Min(nx, uMax + ku.Length + 1);
                    if (uMin == 0) lo = 0;
                    if (uMax == nx - 1) hi = nx;
                    ConvolveRows(img, tmp, rowsAll, nx, ku, lo, hi);
                    ConvolveColumnsAdd(tmp, acc, rowsAll, nx, kv, lo, hi);
                }
                // Photon statistics on every row (halo included, so the detector blur sees its neighbours).
                for (int r = 0; r < rowsAll; r++)
                {
                    int y = yA + r;
                    for (int u = 0; u < nx; u++)
                        img[r * nx + u] = (float)acq.Transmission(a, u, y, acc[r * nx + u] + slabIntegral[a]);
                }
                if (p.DetectorBlurPx > 0)
                {
                    var kd = Acquisition.Kernel(p.DetectorBlurPx, 0, halo);
                    ConvolveRows(img, tmp, rowsAll, nx, kd, 0, nx);
                    Array.Clear(img);
                    ConvolveColumnsAdd(tmp, img, rowsAll, nx, kd, 0, nx);
                }
                for (int r = halo; r < halo + rowsOut; r++)
                {
                    int y = yA + r, ro = r - halo;
                    var dst = sino[ro / L];
                    int lane = ro % L;
                    for (int u = 0; u < nx; u++)
                    {
                        float t = img[r * nx + u];
                        if (outTilt is not null) outTilt[(a * rowsOut + ro) * nx + u] = t;
                        dst[(a * nx + u) * L + lane] = (float)-Math.Log(Math.Max(t, 1e-4));
                    }
                }
                return bufs;
            }, _ => { });
            timings["detect"] += Lap();
            cancellation.ThrowIfCancellationRequested();

            // 4. Reconstruct the output rows; LAC in 1/µm.
            Parallel.For(0, nbOut, b =>
            {
                var plane = recPlanes[b];
                recon.ReconstructBatch(sino[b], plane);
                for (int lane = 0; lane < L; lane++)
                {
                    int y = y0 + b * L + lane;
                    if (y >= y1) break;
                    int ro = y - y0;
                    for (int z = 0; z < nz; z++)
                    {
                        int o = (z * rowsOut + ro) * nx;
                        for (int x = 0; x < nx; x++) outTomo[o + x] = (float)(plane[(z * nx + x) * L + lane] / dUm);
                    }
                }
            });
            timings["reconstruct"] += Lap();
            sink.WriteRows(y0, rowsOut, outTomo, outMem, outCls, outInst, outTilt);
            timings["output"] = timings.GetValueOrDefault("output") + Lap();
            progress.Report("simulating", y1, ny, "rows");
        }
        return (acq, timings);
    }

    /// <summary>
    /// dst[u] = Σ_j k[j]·src[u − (j − r0)] for u in [lo, hi) of every row (the input is extended
    /// with its edge values beyond the detector); vectorised over u on a padded copy.
    /// </summary>
    private static void ConvolveRows(float[] src, float[] dst, int rows, int n, double[] k, int lo, int hi)
    {
        int r0 = k.Length / 2, m = hi - lo;
        var padded = new float[m + 2 * r0];
        for (int r = 0; r < rows; r++)
        {
            var row = src.AsSpan(r * n, n);
            var o = dst.AsSpan(r * n + lo, m);
            // padded[i] = row[clamp(lo − r0 + i)]
            for (int i = 0; i < padded.Length; i++) padded[i] = row[Math.Clamp(lo - r0 + i, 0, n - 1)];
            o.Clear();
            for (int j = 0; j < k.Length; j++)
            {
                if (k[j] == 0) continue;
                // src index u − j + r0 → padded index (u − lo) − j + 2 r0.
                AddScaled(padded.AsSpan(2 * r0 - j, m), o, (float)k[j]);
            }
        }
    }

    private static void ConvolveColumnsAdd(float[] src, float[] acc, int rows, int n, double[] k, int lo, int hi)
    {
        int r0 = k.Length / 2, m = hi - lo;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k.Length; j++)
            {
                int q = r - (j - r0);
                if (q < 0 || q >= rows || k[j] == 0) continue;
                AddScaled(src.AsSpan(q * n + lo, m), acc.AsSpan(r * n + lo, m), (float)k[j]);
            }
    }

    /// <summary>
    /// dst += w · src, vectorised. Every element uses the same fused multiply-add (vector or scalar),
    /// so the result does not depend on which elements fall into the vector part, i.e. on the range
    /// blurred or the slab partition.
    /// </summary>
    private static void AddScaled(ReadOnlySpan<float> src, Span<float> dst, float w)
    {
        int n = dst.Length, V = Vector<float>.Count, nv = n / V * V;
        var wv = new Vector<float>(w);
        var sv = MemoryMarshal.Cast<float, Vector<float>>(src[..nv]);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dst[..nv]);
        for (int b = 0; b < sv.Length; b++) dv[b] = Vector.FusedMultiplyAdd(wv, sv[b], dv[b]);
        for (int i = nv; i < n; i++) dst[i] = MathF.FusedMultiplyAdd(w, src[i], dst[i]);
    }
}
