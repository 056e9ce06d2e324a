using SxtSeg.Morphology;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement;

/// <summary>
/// Measures every object of a label stream in one streamed pass: per-slice cross-sections (2D),
/// 3D moments folded from them, and each object's marching-cubes surface, smoothed and measured
/// as soon as the sweep has passed the object's last slice (then dropped, or handed to a mesh
/// sink). Memory: one slab of labels, per-object sums, and the meshes of the objects the sweep is
/// currently inside. Results do not depend on the thread schedule.
/// </summary>
public static class ObjectMeasurer
{
    /// <summary>Measures the objects of <paramref name="labels"/>; the voxel size must be known.</summary>
    /// <param name="labels">Labelled objects (for example a <see cref="ComponentLabeling"/>).</param>
    /// <param name="options">Filters and surface smoothing.</param>
    /// <param name="sliceSink">Receives every kept object's cross-section in each slice, in z then label order (for a per-slice table).</param>
    /// <param name="meshSink">Receives every kept object's smoothed surface mesh (in completion order: by last slice, then label).</param>
    /// <param name="progress">Progress reports.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static MeasurementResult Measure(ILabelStream labels, MeasureOptions? options = null, Action<SliceMeasurement>? sliceSink = null,
        Action<ObjectMesh>? meshSink = null, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new MeasureOptions();
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
        var crofton = new CroftonWeights(voxel.X, voxel.Y);
        var analyzers = new ThreadLocal<SliceAnalyzer>(() => new SliceAnalyzer(info.Nx, info.Ny, n, voxel, info.OriginNm, crofton));
        var extractor = new MeshExtractor(info.Nx, info.Ny, n, voxel, info.OriginNm, keep);
        // Objects in the order the sweep completes them.
        var completion = Enumerable.Range(1, n).Where(l => keep[l]).OrderBy(l => labels.Bounds[l - 1].Z1).ThenBy(l => l).ToArray();
        int nextCompletion = 0;
        var perSlice = new List<SliceObject>[LabelStreams.SlabDepth(info.Nx, info.Ny, info.Nz)];
        for (int i = 0; i < perSlice.Length; i++) perSlice[i] = new List<SliceObject>();
        int slicesDone = 0;
        var ready = new List<int>();
        labels.Stream(slab =>
        {
            // 2D analysis of the slab's slices in parallel.
            Parallel.For(0, slab.Count, i => analyzers.Value!.Analyze(slab.Slice(i), slab.Z0 + i, perSlice[i]));
            for (int i = 0; i < slab.Count; i++)
            {
                int z = slab.Z0 + i;
                foreach (var so in perSlice[i])
                {
                    if (!keep[so.Label]) continue;
                    state.Fold(so, z);
                    sliceSink?.Invoke(so.Measures with { ObjectId = labels.SourceIds[(int)so.Label - 1] });
                }
                extractor.PushSlice(slab.Slice(i));
                // Objects whose last slice is below z are now complete (their top layer is meshed).
                while (nextCompletion < completion.Length && labels.Bounds[completion[nextCompletion] - 1].Z1 < z)
                    ready.Add(completion[nextCompletion++]);
                progress.Report("measuring", ++slicesDone, info.Nz, "slices");
            }
            Complete(ready, extractor, state, labels, options, meshSink);
        }, cancellation);
        extractor.Finish();
        while (nextCompletion < completion.Length) ready.Add(completion[nextCompletion++]);
        Complete(ready, extractor, state, labels, options, meshSink);
        var results = new List<ObjectMeasurement>();
        for (int l = 1; l <= n; l++)
            if (keep[l]) results.Add(state.Result(l, labels, voxel, info));
        return new MeasurementResult(results, info, voxel, options, bySize, byBorder);
    }

    private static void Complete(List<int> ready, MeshExtractor extractor, State state, ILabelStream labels, MeasureOptions options, Action<ObjectMesh>? meshSink)
    {
        if (ready.Count == 0) return;
        var meshes = new ObjectMesh?[ready.Count];
        for (int i = 0; i < ready.Count; i++) meshes[i] = extractor.Take(ready[i], labels.SourceIds[ready[i] - 1]);
        var voxel = labels.Info.VoxelSize!.Value;
        var origin = labels.Info.OriginNm;
        Parallel.For(0, ready.Count, i =>
        {
            int l = ready[i];
            var mesh = meshes[i];
            state.Axes(l, voxel, origin);
            if (mesh is null) return;
            MeshSmoothing.Taubin(mesh, options.SurfaceSmoothing);
            state.Extents(l, mesh);
            state.Area[l] = mesh.Area();
            state.MeshVolume[l] = mesh.EnclosedVolume();
        });
        if (meshSink is not null)
            foreach (var m in meshes)
                if (m is not null) meshSink(m);
        ready.Clear();
    }

    /// <summary>Per-object accumulators, indexed by dense label.</summary>
    private sealed class State
    {
        private readonly long[] _n, _sx, _sy, _sz, _sxx, _syy, _szz, _sxy, _sxz, _syz;
        private readonly int[] _slices;
        private readonly Welford[] _area, _perimeter, _first, _second, _ecc;
        private readonly double[][] _axesVec; // per object: centroid (3), eigenvalues (3), vectors (9)

        public State(int n)
        {
            _n = new long[n + 1]; _sx = new long[n + 1]; _sy = new long[n + 1]; _sz = new long[n + 1];
            _sxx = new long[n + 1]; _syy = new long[n + 1]; _szz = new long[n + 1];
            _sxy = new long[n + 1]; _sxz = new long[n + 1]; _syz = new long[n + 1];
            _slices = new int[n + 1];
            _area = new Welford[n + 1]; _perimeter = new Welford[n + 1]; _first = new Welford[n + 1]; _second = new Welford[n + 1]; _ecc = new Welford[n + 1];
            _axesVec = new double[n + 1][];
            Area = new double[n + 1];
            MeshVolume = new double[n + 1];
            Extent = new double[(n + 1) * 3];
        }

        public double[] Area { get; }

        public double[] MeshVolume { get; }

        public double[] Extent { get; }

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
            var (values, vectors) = Eigen.Symmetric3(cxx, cxy, cxz, cyy, cyz, czz);
            var a = new double[15];
            a[0] = origin.X + mx * v.X; a[1] = origin.Y + my * v.Y; a[2] = origin.Z + mz * v.Z;
            for (int k = 0; k < 3; k++)
            {
                a[3 + k] = Math.Max(0, values[k]);
                a[6 + 3 * k] = vectors[k][0]; a[7 + 3 * k] = vectors[k][1]; a[8 + 3 * k] = vectors[k][2];
            }
            _axesVec[l] = a;
        }

        /// <summary>Extents of the raw mesh vertices (voxel-face midpoints) along the principal axes.</summary>
        public void Extents(int l, ObjectMesh mesh)
        {
            var a = _axesVec[l];
            Span<double> min = stackalloc double[3] { double.MaxValue, double.MaxValue, double.MaxValue };
            Span<double> max = stackalloc double[3] { double.MinValue, double.MinValue, double.MinValue };
            var vtx = mesh.Vertices;
            for (int i = 0; i < vtx.Length; i += 3)
            {
                double px = vtx[i] - a[0], py = vtx[i + 1] - a[1], pz = vtx[i + 2] - a[2];
                for (int k = 0; k < 3; k++)
                {
                    double p = px * a[6 + 3 * k] + py * a[7 + 3 * k] + pz * a[8 + 3 * k];
                    if (p < min[k]) min[k] = p;
                    if (p > max[k]) max[k] = p;
                }
            }
            for (int k = 0; k < 3; k++) Extent[l * 3 + k] = vtx.Length > 0 ? max[k] - min[k] : 0;
        }

        public ObjectMeasurement Result(int l, ILabelStream labels, VoxelSize v, VolumeInfo info)
        {
            var a = _axesVec[l] ?? throw new InvalidOperationException($"object {l} was never completed");
            var box = labels.Bounds[l - 1];
            return new ObjectMeasurement
            {
                ObjectId = labels.SourceIds[l - 1],
                Label = l,
                Voxels = _n[l],
                VolumeNm3 = _n[l] * v.Volume,
                MeshVolumeNm3 = MeshVolume[l],
                SurfaceAreaNm2 = Area[l],
                Centroid = new Vec3Nm(a[0], a[1], a[2]),
                Box = box,
                TouchesBorder = box.TouchesBorder(info.Nx, info.Ny, info.Nz),
                MajorAxisNm = Extent[l * 3],
                SecondAxisNm = Extent[l * 3 + 1],
                ThirdAxisNm = Extent[l * 3 + 2],
                EllipsoidMajorNm = 2 * Math.Sqrt(5 * a[3]),
                EllipsoidSecondNm = 2 * Math.Sqrt(5 * a[4]),
                EllipsoidThirdNm = 2 * Math.Sqrt(5 * a[5]),
                MajorDirection = new Vec3Nm(a[6], a[7], a[8]),
                Slices = _slices[l],
                Area2D = _area[l].Result,
                Perimeter2D = _perimeter[l].Result,
                FirstAxis2D = _first[l].Result,
                SecondAxis2D = _second[l].Result,
                Eccentricity2D = _ecc[l].Result,
            };
        }
    }
}
