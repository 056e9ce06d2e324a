using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement;

/// <summary>
/// Measures every object of a label stream in two streamed passes. Pass 1: each slice's
/// cross-sections (2D), folded into per-object 3D moments (centroid, principal axes). Pass 2: each
/// object's marching-cubes surface, Taubin-smoothed and measured band by band along z (area,
/// enclosed volume, extents along the principal axes), exactly as if the whole mesh had been
/// smoothed, while memory holds only a window of layers of the objects the sweep is inside.
/// Memory: one slab of labels, per-object sums, and those windows; results do not depend on the
/// thread schedule.
/// </summary>
public static class ObjectMeasurer
{
    /// <summary>Measures the objects of <paramref name="labels"/>; the voxel size must be known.</summary>
    /// <param name="labels">Labelled objects (for example a <see cref="ComponentLabeling"/>).</param>
    /// <param name="options">Filters and surface smoothing.</param>
    /// <param name="sliceSink">Receives every kept object's cross-section in each slice, in z then label order (for a per-slice table).</param>
    /// <param name="progress">Progress reports.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static MeasurementResult Measure(ILabelStream labels, MeasureOptions? options = null, Action<SliceMeasurement>? sliceSink = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new MeasureOptions();
        if (options.SurfaceSmoothing < 0) throw new InvalidOptionException(nameof(MeasureOptions.SurfaceSmoothing), "must be ≥ 0");
        var info = labels.Info;
        var voxel = info.VoxelSize is { IsValid: true } vs ? vs
            : throw new SxtSegException("the voxel size of the label volume is unknown; give it with --voxel-size (nm)");
        int n = labels.ObjectCount;
        var keep = new bool[n + 1];
        int bySize = 0, byBorder = 0;
        for (int l = 1; l <= n; l++)
        {
            long v = labels.VoxelCounts[l - 1];
            if (v < options.MinVoxels || v > options.MaxVoxels) { bySize++; continue; }
            if (options.ExcludeBorder && labels.Bounds[l - 1].TouchesBorder(info.Nx, info.Ny, info.Nz)) { byBorder++; continue; }
            keep[l] = true;
        }
        var state = new State(n);

        // Pass 1: cross-sections and moments.
        var crofton = new CroftonWeights(voxel.X, voxel.Y);
        var analyzers = new ThreadLocal<SliceAnalyzer>(() => new SliceAnalyzer(info.Nx, info.Ny, n, voxel, info.OriginNm, crofton));
        var perSlice = new List<SliceObject>[LabelStreams.SlabDepth(info.Nx, info.Ny, info.Nz)];
        for (int i = 0; i < perSlice.Length; i++) perSlice[i] = new List<SliceObject>();
        int slicesDone = 0;
        labels.Stream(slab =>
        {
            Parallel.For(0, slab.Count, i => analyzers.Value!.Analyze(slab.Slice(i), slab.Z0 + i, perSlice[i]));
            for (int i = 0; i < slab.Count; i++)
            {
                foreach (var so in perSlice[i])
                {
                    if (!keep[so.Label]) continue;
                    state.Fold(so, slab.Z0 + i);
                    sliceSink?.Invoke(so.Measures with { ObjectId = labels.SourceIds[(int)so.Label - 1] });
                }
                progress.Report("measuring cross-sections", ++slicesDone, info.Nz, "slices");
            }
        }, cancellation);
        analyzers.Dispose();
        for (int l = 1; l <= n; l++) if (keep[l]) state.Axes(l, voxel, info.OriginNm);

        // Pass 2: surfaces, streamed in bands.
        var bands = new SurfaceBands(options.SurfaceSmoothing);
        // Surfaces are measured without the volume's origin: vertices are float32, and a header origin
        // of 10⁶ nm would leave them a few hundredths of a voxel of precision (areas of thin objects off
        // by per cent). Areas, enclosed volumes and extents do not depend on where the origin is.
        var origin = new Vec3(info.OriginNm.X, info.OriginNm.Y, info.OriginNm.Z);
        var acc = new SurfaceBands.Accumulator?[n + 1];
        for (int l = 1; l <= n; l++)
            if (keep[l]) acc[l] = new SurfaceBands.Accumulator(state.Centroid(l) - origin, state.AxisVectors(l));
        var extractor = new MeshExtractor(info.Nx, info.Ny, n, voxel, (0, 0, 0), keep);
        // Objects by first and by last slice, to know which ones the sweep is inside.
        var byStart = Enumerable.Range(1, n).Where(l => keep[l]).OrderBy(l => labels.Bounds[l - 1].Z0).ThenBy(l => l).ToArray();
        var byEnd = Enumerable.Range(1, n).Where(l => keep[l]).OrderBy(l => labels.Bounds[l - 1].Z1).ThenBy(l => l).ToArray();
        int nextStart = 0, nextEnd = 0;
        var open = new SortedSet<int>();
        var work = new List<(int Label, bool Complete)>();
        slicesDone = 0;
        void Flush(int lastLayer)
        {
            // Objects whose last cube layer (between slices Z1 and Z1 + 1) has been meshed are complete.
            while (nextEnd < byEnd.Length && labels.Bounds[byEnd[nextEnd] - 1].Z1 <= lastLayer)
            {
                int l = byEnd[nextEnd++];
                open.Remove(l);
                work.Add((l, true));
            }
            foreach (int l in open)
                if (extractor.Buffer(l) is { } b && bands.BandReady(acc[l]!, b, lastLayer)) work.Add((l, false));
            // Large windows one at a time (each is smoothed in parallel), small ones in parallel.
            var large = work.Where(w => extractor.Buffer(w.Label) is { } b && bands.IsLarge(b, acc[w.Label]!)).ToList();
            foreach (var w in large) bands.Process(extractor.Buffer(w.Label)!, acc[w.Label]!, lastLayer, w.Complete);
            Parallel.ForEach(work.Except(large), w =>
            {
                if (extractor.Buffer(w.Label) is { } b) bands.Process(b, acc[w.Label]!, lastLayer, w.Complete);
            });
            foreach (var w in work) if (w.Complete) extractor.Release(w.Label);
            work.Clear();
        }
        labels.Stream(slab =>
        {
            for (int i = 0; i < slab.Count; i++)
            {
                int z = slab.Z0 + i;
                while (nextStart < byStart.Length && labels.Bounds[byStart[nextStart] - 1].Z0 <= z) open.Add(byStart[nextStart++]);
                extractor.PushSlice(slab.Slice(i));
                progress.Report("measuring surfaces", ++slicesDone, info.Nz, "slices");
            }
            Flush(extractor.LastLayer);
        }, cancellation);
        extractor.Finish();
        Flush(int.MaxValue);

        var results = new List<ObjectMeasurement>();
        long triangles = 0;
        for (int l = 1; l <= n; l++)
        {
            if (!keep[l]) continue;
            var a = acc[l]!;
            triangles += a.Triangles;
            results.Add(state.Result(l, labels, voxel, info, a));
        }
        return new MeasurementResult(results, info, voxel, options, bySize, byBorder) { SurfaceTriangles = triangles };
    }

    /// <summary>Per-object accumulators, indexed by dense label.</summary>
    private sealed class State
    {
        private readonly long[] _n, _sx, _sy, _sz, _sxx, _syy, _szz, _sxy, _sxz, _syz;
        private readonly int[] _slices;
        private readonly Welford[] _area, _perimeter, _first, _second, _ecc, _firstExt, _secondExt;
        private readonly double[][] _axesVec; // per object: centroid (3), eigenvalues (3), vectors (9)

        public State(int n)
        {
            _n = new long[n + 1]; _sx = new long[n + 1]; _sy = new long[n + 1]; _sz = new long[n + 1];
            _sxx = new long[n + 1]; _syy = new long[n + 1]; _szz = new long[n + 1];
            _sxy = new long[n + 1]; _sxz = new long[n + 1]; _syz = new long[n + 1];
            _slices = new int[n + 1];
            _area = new Welford[n + 1]; _perimeter = new Welford[n + 1]; _first = new Welford[n + 1]; _second = new Welford[n + 1]; _ecc = new Welford[n + 1];
            _firstExt = new Welford[n + 1]; _secondExt = new Welford[n + 1];
            _axesVec = new double[n + 1][];
        }

        public Vec3 Centroid(int l) => new(_axesVec[l][0], _axesVec[l][1], _axesVec[l][2]);

        public Vec3[] AxisVectors(int l)
        {
            var a = _axesVec[l];
            return new[] { new Vec3(a[6], a[7], a[8]), new Vec3(a[9], a[10], a[11]), new Vec3(a[12], a[13], a[14]) };
        }

        public void Fold(in SliceObject so, int z)
        {
            int l = (int)so.Label;
            _n[l] += so.N;
            _sx[l] += so.Sx; _sy[l] += so.Sy; _sz[l] += so.N * z;
            _sxx[l] += so.Sxx; _syy[l] += so.Syy; _szz[l] += so.N * z * z;
            _sxy[l] += so.Sxy; _sxz[l] += so.Sx * z; _syz[l] += so.Sy * z;
            _slices[l]++;
            var m = so.Measures;
            _area[l].Add(m.AreaNm2);
            _perimeter[l].Add(m.PerimeterNm);
            _first[l].Add(m.FirstAxisNm);
            _second[l].Add(m.SecondAxisNm);
            _ecc[l].Add(m.Eccentricity);
            _firstExt[l].Add(m.FirstExtentNm);
            _secondExt[l].Add(m.SecondExtentNm);
        }

        /// <summary>Centroid (nm) and principal axes of object l from its moments (with each voxel's own second moment).</summary>
        public void Axes(int l, VoxelSize v, (double X, double Y, double Z) origin)
        {
            double n = _n[l];
            double mx = _sx[l] / n, my = _sy[l] / n, mz = _sz[l] / n;
            double cxx = v.X * v.X * (_sxx[l] / n - mx * mx + 1.0 / 12);
            double cyy = v.Y * v.Y * (_syy[l] / n - my * my + 1.0 / 12);
            double czz = v.Z * v.Z * (_szz[l] / n - mz * mz + 1.0 / 12);
            double cxy = v.X * v.Y * (_sxy[l] / n - mx * my);
            double cxz = v.X * v.Z * (_sxz[l] / n - mx * mz);
            double cyz = v.Y * v.Z * (_syz[l] / n - my * mz);
            var (values, vectors) = SymmetricEigen.Symmetric3(cxx, cxy, cxz, cyy, cyz, czz);
            var a = new double[15];
            a[0] = origin.X + mx * v.X; a[1] = origin.Y + my * v.Y; a[2] = origin.Z + mz * v.Z;
            for (int k = 0; k < 3; k++)
            {
                a[3 + k] = Math.Max(0, values[k]);
                a[6 + 3 * k] = vectors[k][0]; a[7 + 3 * k] = vectors[k][1]; a[8 + 3 * k] = vectors[k][2];
            }
            _axesVec[l] = a;
        }

        public ObjectMeasurement Result(int l, ILabelStream labels, VoxelSize v, VolumeInfo info, SurfaceBands.Accumulator surface)
        {
            var a = _axesVec[l] ?? throw new InvalidOperationException($"object {l} was never completed");
            var box = labels.Bounds[l - 1];
            double volume = _n[l] * v.Volume;
            bool resolved = surface.SignedVolume >= ObjectMeasurement.MinEnclosedFraction * volume;
            double Surface(double x) => resolved ? x : double.NaN;
            return new ObjectMeasurement
            {
                ObjectId = labels.SourceIds[l - 1],
                Label = l,
                Voxels = _n[l],
                VolumeNm3 = volume,
                SurfaceResolved = resolved,
                MeshVolumeNm3 = Surface(surface.SignedVolume),
                SurfaceAreaNm2 = Surface(surface.Area),
                Centroid = new Vec3Nm(a[0], a[1], a[2]),
                Box = box,
                TouchesBorder = box.TouchesBorder(info.Nx, info.Ny, info.Nz),
                MajorAxisNm = 2 * Math.Sqrt(5 * a[3]),
                SecondAxisNm = 2 * Math.Sqrt(5 * a[4]),
                ThirdAxisNm = 2 * Math.Sqrt(5 * a[5]),
                MajorExtentNm = Surface(surface.Extent(0)),
                SecondExtentNm = Surface(surface.Extent(1)),
                ThirdExtentNm = Surface(surface.Extent(2)),
                MajorDirection = new Vec3Nm(a[6], a[7], a[8]),
                Slices = _slices[l],
                Area2D = _area[l].Result,
                Perimeter2D = _perimeter[l].Result,
                FirstAxis2D = _first[l].Result,
                SecondAxis2D = _second[l].Result,
                Eccentricity2D = _ecc[l].Result,
                FirstExtent2D = _firstExt[l].Result,
                SecondExtent2D = _secondExt[l].Result,
            };
        }
    }
}
