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

    /// <summary>Refuses a noise-free twin where the outputs stay in memory (it is written by the folder output only).</summary>
    private static void NoTwinInMemory(SimulationParameters p)
    {
        if (p.CleanTwin)
            throw new InvalidOptionException(SimulationParameterTable.ParameterKey("clean-twin"), "the noise-free twin (clean.mrc) is written only when simulating into a folder (sxtseg simulate)");
    }

    /// <summary>
    /// As above with a forced slab height (tests: the output must not depend on it) and, for tests
    /// of the PSF's cut along y, a lower limit of the halo rows than <see cref="MaxHaloRows"/>.
    /// </summary>
    internal static SimulationResult Simulate(Phantom phantom, IProgress<ProgressUpdate>? progress, CancellationToken cancellation, int? slabRows, int maxHaloRows = MaxHaloRows)
    {
        var p = phantom.Parameters;
        NoTwinInMemory(p);
        var sink = new VolumeSink(p, p.TiltAngles().Length);
        var (acq, timings) = Run(phantom, sink, progress, cancellation, slabRows, maxHaloRows: maxHaloRows);
        var result = new SimulationResult(p, phantom, acq, sink.Tomogram, sink.Membranes, sink.Ignore, sink.Classes, sink.Instances, sink.TiltSeries);
        foreach (var kv in timings) result.Timings[kv.Key] = kv.Value;
        return result;
    }

    /// <summary>
    /// Simulates straight into the staged output <paramref name="folder"/> (the caller commits it):
    /// each slab of rows is written to the MRC files as soon as it is reconstructed, so memory stays
    /// within the slab budget (0.4–1.5 GB) whatever the size. The files are identical to those of
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
        if (parameters.CleanTwin)
        {
            // The noise-free twin: the same specimen and acquisition without noise, into clean.mrc.
            sw.Restart();
            var twin = parameters.NoiseFreeTwin();
            using var cleanSink = new TomogramSink(folder.File(SimulationResult.Files.Clean), twin, SimulationResult.AddParameters(provenance, twin).Derive("simulate:clean"));
            Run(phantom.WithAcquisition(twin), cleanSink, progress, cancellation, stage: "simulating the noise-free twin");
            cleanSink.Commit();
            timings["clean_twin"] = sw.Elapsed.TotalSeconds;
        }
        var objects = SimulationResult.TruthObjects(phantom);
        sw.Restart();
        sink.Finish(phantom, acq, objects, progress);
        timings["write"] = sw.Elapsed.TotalSeconds;
        timings["phantom"] = build;
        return new SimulationReport(parameters, phantom, acq, objects, sink.PreviewSlice, timings);
    }

    /// <summary>The simulation loop: slabs of rows along the tilt axis, each written to <paramref name="sink"/>.</summary>
    internal static (Acquisition Acquisition, Dictionary<string, double> Timings) Run(Phantom phantom, ISimulationSink sink,
        IProgress<ProgressUpdate>? progress, CancellationToken cancellation, int? forcedSlabRows = null, string stage = "simulating", int maxHaloRows = MaxHaloRows)
    {
        var run = new SlabSimulation(phantom, forcedSlabRows, maxHaloRows);
        int ny = phantom.Parameters.Ny;
        var timings = new Dictionary<string, double> { ["render"] = 0, ["extent"] = 0, ["detect"] = 0, ["reconstruct"] = 0 };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        double Lap() { double t = watch.Elapsed.TotalSeconds; watch.Restart(); return t; }
        progress.Report(stage, 0, ny, "rows");
        for (int y0 = 0; y0 < ny; y0 += run.SlabRows)
        {
            cancellation.ThrowIfCancellationRequested();
            var slab = run.SlabAt(y0);

            // 1. Rasterise rows (with halo): Δμ·voxel (per-voxel attenuation) interleaved by lanes; labels of the field of view.
            run.Rasterise(slab);
            timings["render"] += Lap();
            cancellation.ThrowIfCancellationRequested();

            // 2. The non-zero extent of the rasterised planes, which the projection scans.
            run.Extents(slab);
            timings["extent"] += Lap();
            cancellation.ThrowIfCancellationRequested();

            // 3. Projection into depth bands, PSF per band and shift, slab integral, photon statistics,
            //    detector blur, −ln: sinograms of the output rows.
            run.Detect(slab);
            timings["detect"] += Lap();
            cancellation.ThrowIfCancellationRequested();

            // 4. Reconstruct the output rows; LAC in 1/µm.
            run.Reconstruct(slab);
            timings["reconstruct"] += Lap();
            run.Write(sink, slab);
            timings["output"] = timings.GetValueOrDefault("output") + Lap();
            progress.Report(stage, slab.Y1, ny, "rows");
        }
        return (run.Acquisition, timings);
    }

    /// <summary>The most halo rows on each side of a slab (a PSF of σ ≈ 70 px reaches that far), or the phantom's margin if larger.</summary>
    internal const int MaxHaloRows = 256;

    /// <summary>
    /// The most output rows (a multiple of <paramref name="lanes"/>, 128 at most, <paramref name="lanes"/>
    /// at least) whose slab buffers, <paramref name="halo"/> rasterised rows on each side included,
    /// fit in <paramref name="budget"/> bytes.
    /// </summary>
    internal static int SlabRowsFor(long budget, int halo, int lanes, long rasterisedRowBytes, long outputRowBytes)
    {
        long free = budget - 2L * halo * rasterisedRowBytes;
        long rows = free <= 0 ? lanes : free / Math.Max(rasterisedRowBytes + outputRowBytes, 1);
        rows = Math.Clamp(rows, lanes, 128);
        return (int)Math.Max(lanes, rows / lanes * lanes);
    }

    /// <summary>
    /// One slab of output rows [<see cref="Y0"/>, <see cref="Y1"/>) and the rows it rasterises
    /// (the output rows plus <see cref="Halo"/> rows on each side), in batches of
    /// <see cref="Lanes"/> interleaved rows.
    /// </summary>
    private readonly record struct Slab(int Y0, int Y1, int Halo, int Lanes)
    {
        /// <summary>Output rows.</summary>
        public int RowsOut => Y1 - Y0;

        /// <summary>First rasterised row (may be negative: the phantom extends beyond the field of view).</summary>
        public int YA => Y0 - Halo;

        /// <summary>Rasterised rows, halo included.</summary>
        public int RowsAll => RowsOut + 2 * Halo;

        /// <summary>Lane batches of the rasterised rows.</summary>
        public int BatchesAll => (RowsAll + Lanes - 1) / Lanes;

        /// <summary>Lane batches of the output rows.</summary>
        public int BatchesOut => (RowsOut + Lanes - 1) / Lanes;
    }

    /// <summary>
    /// The operators and slab buffers of one simulation (built once, reused by every slab: the
    /// stages overwrite their outputs) and the four stages applied to a slab of rows.
    /// </summary>
    private sealed class SlabSimulation
    {
        private readonly Phantom _phantom;
        private readonly SimulationParameters _p;
        private readonly int _nx, _nz, _w, _lanes, _bands, _nAngles, _halo, _detectorRadius, _angleChunk;
        private readonly PhantomRenderer _renderer;
        private readonly ParallelBeamProjector _forward;
        private readonly Reconstructor _recon;
        private readonly double _dUm;
        private readonly bool _isSlab;
        private readonly double[] _slabIntegral;
        // Slab buffers: lane-interleaved planes of the rasterised rows (and their non-zero extents),
        // sinograms and reconstructed planes of the output rows.
        private readonly float[][] _planes, _sino, _recPlanes;
        private readonly ParallelBeamProjector.PlaneExtent?[] _extents;
        // Output blocks of one slab, [z][row][x] (tilt: [projection][row][x]).
        private readonly float[] _outTomo;
        private readonly byte[] _outMem, _outCls;
        private readonly ushort[] _outInst;
        private readonly float[]? _outTilt;
        private readonly System.Collections.Concurrent.ConcurrentBag<PhantomRow> _rowPool = new();
        // Buffers of one detection task (the depth-band lines of its chunk of projections for every
        // rasterised row, and three images), reused by the tasks of every slab.
        private readonly System.Collections.Concurrent.ConcurrentBag<DetectBuffers> _detectPool = new();

        /// <summary>Sets up the acquisition, operators, halo and slab height, and allocates the slab buffers.</summary>
        public SlabSimulation(Phantom phantom, int? forcedSlabRows, int maxHaloRows)
        {
            _phantom = phantom;
            _p = phantom.Parameters;
            var p = _p;
            _nx = p.Nx;
            _nz = p.Nz;
            _w = phantom.Width;
            _lanes = ParallelBeamProjector.Lanes;
            Acquisition = new Acquisition(p, _nx, p.Ny, phantom);
            var acq = Acquisition;
            _nAngles = acq.Nominal.Length;
            (_halo, _detectorRadius) = HaloRows(phantom, acq, maxHaloRows);
            _renderer = new PhantomRenderer(phantom, _halo);
            _forward = new ParallelBeamProjector(_w, _nz, _nx, acq.Actual);
            _recon = new Reconstructor(_nx, _nz, _nx, acq.Nominal, new ReconstructionOptions(p.Reconstruction, p.Filter, p.SirtIterations, 1.0, p.FilterCutoff, p.FilterFalloff));
            _dUm = p.VoxelSizeNm * 1e-3;
            _isSlab = phantom.Geometry == SampleGeometry.Slab;
            _slabIntegral = new double[_nAngles];
            for (int a = 0; a < _nAngles; a++) _slabIntegral[a] = _isSlab ? phantom.SlabLineIntegral(acq.Actual[a]) : 0;
            _bands = acq.BandCount;
            _angleChunk = Math.Clamp(_nAngles / (4 * Environment.ProcessorCount), 1, 4);
            (SlabRows, DetectionTasks) = SlabLayout(forcedSlabRows);

            int L = _lanes, maxAll = (SlabRows + 2 * _halo + L - 1) / L, maxOut = SlabRows / L;
            _planes = new float[maxAll][];
            _extents = new ParallelBeamProjector.PlaneExtent?[maxAll];
            for (int b = 0; b < maxAll; b++) _planes[b] = new float[_nz * _w * L];
            _outTomo = new float[_nz * SlabRows * _nx];
            _outMem = new byte[_nz * SlabRows * _nx];
            _outCls = new byte[_nz * SlabRows * _nx];
            _outInst = new ushort[_nz * SlabRows * _nx];
            _outTilt = p.KeepTiltSeries ? new float[_nAngles * SlabRows * _nx] : null;
            _sino = new float[maxOut][];
            _recPlanes = new float[maxOut][];
            for (int b = 0; b < maxOut; b++)
            {
                _sino[b] = new float[_nAngles * _nx * L];
                _recPlanes[b] = new float[_nz * _nx * L];
            }
        }

        /// <summary>The acquisition (angles, depth bands, PSF widths, shifts, photon statistics).</summary>
        public Acquisition Acquisition { get; }

        /// <summary>Output rows per slab (a multiple of the lanes).</summary>
        public int SlabRows { get; }

        /// <summary>The slab of output rows starting at <paramref name="y0"/>.</summary>
        public Slab SlabAt(int y0) => new(y0, Math.Min(_p.Ny, y0 + SlabRows), _halo, _lanes);

        /// <summary>
        /// Halo rows for the PSF and the shifts along y, followed by the detector blur, and the
        /// detector blur's radius. An output row's value depends on the rows within the PSF's
        /// radius of the rows within the detector blur's radius of it, so the halo holds both
        /// radii (rendered beyond the phantom's margin where the PSF reaches farther, e.g. far from
        /// focus in wide fields), up to <see cref="MaxHaloRows"/>; beyond that the PSF's kernel
        /// along y is cut to the halo less the detector blur's radius (<see cref="PsfRadiusV"/>),
        /// so an output row never depends on where a slab ends.
        /// </summary>
        private static (int Halo, int DetectorRadius) HaloRows(Phantom phantom, Acquisition acq, int maxHaloRows)
        {
            int detector = DetectorRadius(phantom.Parameters.DetectorBlurPx);
            int psf = 0;
            for (int a = 0; a < acq.BandSigmaPx.Length; a++)
                foreach (double sigma in acq.BandSigmaPx[a])
                    psf = Math.Max(psf, Acquisition.KernelRadius(sigma, acq.ShiftV[a]));
            // Never fewer than the phantom's margin allowed before the halo could reach beyond it.
            int halo = Math.Min(Math.Max(maxHaloRows, phantom.HaloY), psf + detector);
            return (halo, Math.Min(detector, halo));
        }

        /// <summary>Radius of the detector blur's kernel (0 without one).</summary>
        private static int DetectorRadius(double blurPx) => blurPx > 0 ? Acquisition.KernelRadius(blurPx, 0) : 0;

        /// <summary>The largest radius of a PSF kernel along y: the halo less the detector blur's radius.</summary>
        private int PsfRadiusV => _halo - _detectorRadius;

        /// <summary>
        /// Rows per slab and detection tasks run at once: slab buffers of 0.4–1.5 GB depending on the
        /// memory available, the halo rows counted (they are overhead, so larger slabs are faster;
        /// the output does not depend on the slab size). Where the halo alone fills the budget the
        /// slab is one batch of lanes, and fewer detection tasks run at once.
        /// </summary>
        private (int SlabRows, int DetectionTasks) SlabLayout(int? forcedSlabRows)
        {
            int L = _lanes;
            long budget = Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8, 400_000_000L, 1_500_000_000L);
            int tasks = Math.Min(Environment.ProcessorCount, (_nAngles + _angleChunk - 1) / _angleChunk);
            long planeRow = (long)_nz * _w * 4, taskRow = (long)(_angleChunk * _bands + 3) * _nx * 4;
            int slabRows = SlabRowsFor(budget, _halo, L, planeRow + tasks * taskRow, OutputRowBytes);
            if (forcedSlabRows is { } forced) slabRows = Math.Max(L, forced / L * L);
            // Where even the smallest slab does not fit (a wide halo on many cores), fewer
            // detection tasks run at once: slower, the same output.
            long rowsAll = slabRows + 2L * _halo, fixedBytes = rowsAll * planeRow + slabRows * OutputRowBytes;
            return (slabRows, (int)Math.Clamp((budget - fixedBytes) / Math.Max(rowsAll * taskRow, 1), 1, tasks));
        }

        /// <summary>Detection tasks run at once (at most one per core, fewer where the slab budget demands).</summary>
        private int DetectionTasks { get; }

        /// <summary>
        /// Bytes of slab buffers per output row: the output blocks (tomogram, membranes, classes,
        /// instances; the tilt series when kept), its sinogram and its reconstructed plane.
        /// </summary>
        private long OutputRowBytes => (long)_nz * _nx * (4 + 1 + 1 + 2) + (long)_nAngles * _nx * 4 + (long)_nz * _nx * 4
            + (_p.KeepTiltSeries ? (long)_nAngles * _nx * 4 : 0);

        /// <summary>Stage 1: rasterises the slab's rows (halo included) into the lane-interleaved planes and copies the labels of its output rows.</summary>
        public void Rasterise(Slab s)
        {
            int L = _lanes, nz = _nz, W = _w, nx = _nx, y0 = s.Y0, y1 = s.Y1, yA = s.YA, rowsOut = s.RowsOut;
            double dUm = _dUm;
            for (int b = 0; b < s.BatchesAll; b++) Array.Clear(_planes[b]);
            Parallel.For(0, s.RowsAll, () => _rowPool.TryTake(out var pooled) ? pooled : new PhantomRow(_phantom), (r, _, row) =>
            {
                int y = yA + r;
                bool inside = y >= y0 && y < y1;
                _renderer.RenderRow(y, row, inside);
                var plane = _planes[r / L];
                int lane = r % L;
                for (int z = 0; z < nz; z++)
                {
                    float sub = _isSlab ? _phantom.SlabProfile[z] : 0f;
                    int src = z * W, dst = z * W;
                    for (int x = 0; x < W; x++) plane[(dst + x) * L + lane] = (float)((row.Lac[src + x] - sub) * dUm);
                }
                if (inside)
                {
                    int ro = y - y0;
                    for (int z = 0; z < nz; z++)
                    {
                        int o = (z * rowsOut + ro) * nx;
                        row.Membranes.AsSpan(z * nx, nx).CopyTo(_outMem.AsSpan(o, nx));
                        row.Classes.AsSpan(z * nx, nx).CopyTo(_outCls.AsSpan(o, nx));
                        row.Instances.AsSpan(z * nx, nx).CopyTo(_outInst.AsSpan(o, nx));
                    }
                }
                return row;
            }, row => _rowPool.Add(row));
        }

        /// <summary>
        /// Stage 2: the non-zero extent of every batch of rasterised planes, which the projection of
        /// each angle (stage 3) scans.
        /// </summary>
        public void Extents(Slab s)
            => Parallel.For(0, s.BatchesAll, b => _extents[b] = _forward.Extent(_planes[b]));

        /// <summary>
        /// Stage 3: detector images of every projection into the sinograms of the output rows, one
        /// task per chunk of up to four consecutive angles: it projects the rasterised planes at its
        /// angles into depth bands, then detects each. A task holds chunk × bands × rows × detector
        /// bins of band lines, not every angle's; at most one task per core runs at a time.
        /// </summary>
        public void Detect(Slab s)
        {
            for (int b = 0; b < s.BatchesOut; b++) Array.Clear(_sino[b]);
            // Sized for the largest slab, so the buffers serve every slab.
            int n = (SlabRows + 2 * _halo) * _nx, lineLength = _bands * _nx * _lanes, batches = _planes.Length, chunk = _angleChunk;
            int chunks = (_nAngles + chunk - 1) / chunk;
            var options = new ParallelOptions { MaxDegreeOfParallelism = DetectionTasks };
            Parallel.For(0, chunks, options, () => _detectPool.TryTake(out var pooled) ? pooled : new DetectBuffers(n, lineLength, batches, chunk), (c, _, bufs) =>
            {
                int a0 = c * chunk, a1 = Math.Min(_nAngles, a0 + chunk);
                // Each batch of planes is read once per chunk of angles, not once per angle.
                for (int b = 0; b < s.BatchesAll; b++)
                    for (int a = a0; a < a1; a++)
                    {
                        var bands = Acquisition.Bands[a];
                        _forward.ForwardAngle(_planes[b], _extents[b]!, a, bands, bufs.Lines[a - a0][b].AsSpan(0, bands.Count * _nx * _lanes));
                    }
                for (int a = a0; a < a1; a++) DetectProjection(s, a, bufs, bufs.Lines[a - a0]);
                return bufs;
            }, bufs => _detectPool.Add(bufs));
        }

        /// <summary>
        /// One detection task's buffers: band lines of each of its angles and each batch of
        /// rasterised rows ([band][bin][lane]) and three images of rows × bins.
        /// </summary>
        private sealed class DetectBuffers(int imageLength, int lineLength, int batches, int angles)
        {
            public readonly float[] Img = new float[imageLength], Tmp = new float[imageLength], Acc = new float[imageLength];
            public readonly float[][][] Lines = Enumerable.Range(0, angles).Select(_ => Enumerable.Range(0, batches).Select(_ => new float[lineLength]).ToArray()).ToArray();
        }

        /// <summary>
        /// Projection <paramref name="a"/>: the rasterised planes projected at its angle into depth
        /// bands, every band blurred by its PSF (and the residual shift) and summed, plus the slab
        /// integral, photon statistics and detector blur, then −ln.
        /// </summary>
        private void DetectProjection(Slab s, int a, DetectBuffers bufs, float[][] lines)
        {
            var acq = Acquisition;
            var (img, tmp, acc) = (bufs.Img, bufs.Tmp, bufs.Acc);
            int nx = _nx, rowsAll = s.RowsAll, yA = s.YA;
            Array.Clear(acc);
            var bands = acq.Bands[a];
            for (int k = 0; k < bands.Count; k++)
            {
                var (uMin, uMax) = GatherBand(s, k, lines, img);
                if (uMax < 0) continue;
                double sigma = acq.BandSigmaPx[a][k];
                var ku = Acquisition.Kernel(sigma, acq.ShiftU[a], nx / 2);
                var kv = Acquisition.Kernel(sigma, acq.ShiftV[a], PsfRadiusV);
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
                    img[r * nx + u] = (float)acq.Transmission(a, u, y, acc[r * nx + u] + _slabIntegral[a]);
            }
            if (_p.DetectorBlurPx > 0)
            {
                var kd = Acquisition.Kernel(_p.DetectorBlurPx, 0, _detectorRadius);
                ConvolveRows(img, tmp, rowsAll, nx, kd, 0, nx);
                Array.Clear(img);
                ConvolveColumnsAdd(tmp, img, rowsAll, nx, kd, 0, nx);
            }
            WriteSinogramRows(s, a, img);
        }

        /// <summary>
        /// Copies band <paramref name="k"/> of one projection's band <paramref name="lines"/> of every
        /// rasterised row into <paramref name="img"/> ([row][u]); returns the detector columns it
        /// reaches (uMax &lt; 0: none).
        /// </summary>
        private (int UMin, int UMax) GatherBand(Slab s, int k, float[][] lines, float[] img)
        {
            int L = _lanes, nx = _nx, rowsAll = s.RowsAll;
            int uMin = nx, uMax = -1;
            for (int b = 0; b < s.BatchesAll; b++)
            {
                var src = lines[b];
                int baseIdx = k * nx * L;
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
            return (uMin, uMax);
        }

        /// <summary>The output rows of detector image <paramref name="img"/> (transmission) into the tilt series and, as −ln, into the sinograms.</summary>
        private void WriteSinogramRows(Slab s, int a, float[] img)
        {
            int L = _lanes, nx = _nx, halo = _halo, rowsOut = s.RowsOut;
            var outTilt = _outTilt;
            for (int r = halo; r < halo + rowsOut; r++)
            {
                int ro = r - halo;
                var dst = _sino[ro / L];
                int lane = ro % L;
                for (int u = 0; u < nx; u++)
                {
                    float t = img[r * nx + u];
                    if (outTilt is not null) outTilt[(a * rowsOut + ro) * nx + u] = t;
                    dst[(a * nx + u) * L + lane] = (float)-Math.Log(Math.Max(t, 1e-4));
                }
            }
        }

        /// <summary>Stage 4: reconstructs the output rows into the tomogram block (LAC in 1/µm).</summary>
        public void Reconstruct(Slab s)
        {
            int L = _lanes, nz = _nz, nx = _nx, y0 = s.Y0, y1 = s.Y1, rowsOut = s.RowsOut;
            double dUm = _dUm;
            Parallel.For(0, s.BatchesOut, b =>
            {
                var plane = _recPlanes[b];
                _recon.ReconstructBatch(_sino[b], plane);
                for (int lane = 0; lane < L; lane++)
                {
                    int y = y0 + b * L + lane;
                    if (y >= y1) break;
                    int ro = y - y0;
                    for (int z = 0; z < nz; z++)
                    {
                        int o = (z * rowsOut + ro) * nx;
                        for (int x = 0; x < nx; x++) _outTomo[o + x] = (float)(plane[(z * nx + x) * L + lane] / dUm);
                    }
                }
            });
        }

        /// <summary>Hands the slab's output blocks to the sink.</summary>
        public void Write(ISimulationSink sink, Slab s)
            => sink.WriteRows(s.Y0, s.RowsOut, _outTomo, _outMem, _outCls, _outInst, _outTilt);
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
