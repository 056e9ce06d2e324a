using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>
/// Finds filopodia in membrane labels and measures them (the paper's Table S1 without the manual
/// work in MIB). Steps, all streamed from the labels (memory: windows of slices and three bit
/// masks of the volume):
/// <list type="number">
/// <item>Cell volume: the membranes are closed, the background is labelled (6-connected), and the
/// background connected to the top or bottom face of the volume (the ice and vacuum above and
/// below an adherent cell) is the outside; everything else is cell. The solid cell ends at the
/// middle of its membrane labels (a membrane voxel is inside when it is at least as close to the
/// inside as to the outside).</item>
/// <item>Protrusions: the cell minus its opening by a ball of the maximum filopodium diameter (the
/// parts of the cell such a ball cannot reach), then opened by a ball of the minimum diameter
/// (which removes slivers along the cell's edge); 26-connected components.</item>
/// <item>Each protrusion, in a crop: its base is where it touches the cell body; the tube is kept
/// (voxels within its radius of the centre line traced by the level sets of the geodesic distance
/// from its tip; what is left is analysed again, so filopodia touching at their bases separate);
/// the opening's bite out of the base is given back; protrusions without a base, shorter than the
/// minimum length, or thinner or wider than the limits are dropped (counted). Filopodia touching
/// the volume's faces (cut by the field of view) or near a bead are measured but left out of the
/// summary.</item>
/// <item>Measures: <see cref="ObjectMeasurer"/> on each filopodium (volume, equivalent-ellipsoid
/// axes, per-slice 2D cross-sections), its membrane area without the base, length and diameter.</item>
/// </list>
/// </summary>
public static class FilopodiaAnalysis
{
    /// <summary>Finds and measures the filopodia of a membrane mask held in memory (non-zero = membrane).</summary>
    public static FilopodiaResult Run(Volume<byte> membranes, VoxelSize voxelSize, FilopodiaOptions? options = null, IProgress<ProgressUpdate>? progress = null,
        FilopodiaExtras? extras = null, CancellationToken cancellation = default)
        => Run(MaskStreams.FromVolume(membranes), voxelSize, options, progress, extras, cancellation);

    /// <summary>
    /// Finds and measures the filopodia of a streamed membrane mask (1 = membrane), for example
    /// <see cref="MaskStreams.FromReader"/> on a label file.
    /// </summary>
    /// <param name="membranes">Membrane labels (all membranes; the plasma membrane must be among them).</param>
    /// <param name="voxelSize">Voxel size (nm).</param>
    /// <param name="options">Thresholds (defaults when null).</param>
    /// <param name="progress">Progress reports.</param>
    /// <param name="extras">Optional tomogram (gold beads), bead mask and cell mask.</param>
    /// <param name="cancellation">Cancellation.</param>
    public static FilopodiaResult Run(IMaskStream membranes, VoxelSize voxelSize, FilopodiaOptions? options = null, IProgress<ProgressUpdate>? progress = null,
        FilopodiaExtras? extras = null, CancellationToken cancellation = default)
    {
        options ??= new FilopodiaOptions();
        options.Validate();
        extras ??= new FilopodiaExtras();
        if (!voxelSize.IsValid) throw new InvalidOptionException(nameof(FilopodiaRunRequest.VoxelSize), "the voxel size must be positive");
        var info = membranes.Info with { VoxelSize = voxelSize, Type = VoxelType.UInt8 };
        CheckExtras(extras, info, "the labels");
        if (extras.CellMask is not null) SameShape(extras.CellMask.Info, "the cell mask", info, "the labels");

        // 1. Outside of the cells: background components touching the top or bottom face.
        var core = CellCore(extras.CellMask, info, voxelSize, options, cancellation);
        var (cellCodes, rule) = CellCodes(membranes, info, options, core, progress, cancellation, extras.CellMask);
        var (beads, goldRule) = Gold(extras, options, progress, cancellation);
        rule += goldRule;

        // 2. Solid cell, protrusions; the solid cell and the protrusions are kept as bits.
        var cellBits = new BitVolume(info.Nx, info.Ny, info.Nz);
        var thinBits = new BitVolume(info.Nx, info.Ny, info.Nz);
        var protrusionBits = new BitVolume(info.Nx, info.Ny, info.Nz);
        IMaskStream cell = new CacheStream(SolidCell(cellCodes, voxelSize, options), cellBits);
        IMaskStream thin = new CacheStream(ThinParts(cell, voxelSize, options), thinBits);
        IMaskStream protrusions = new CacheStream(Protrusions(thin, voxelSize, options), protrusionBits);
        var engine = ComponentEngine.Run(protrusions, Connectivity.TwentySix, inverted: false, progress, "finding protrusions", cancellation);
        var beadBits = beads is null ? null : ToBits(beads, info, cancellation);
        long cellVoxels = CountBits(cellBits, info);

        // 3. Candidates: protrusions large enough to be a filopodium of the minimum size. Crops reach 12 voxels beyond a
        // protrusion (the body's surface around its base is sampled up to 10 voxels out; the analysis must not depend on
        // whether beads are given), or the bead distance if that is more.
        long minVoxels = MinVoxels(options, voxelSize);
        int margin = Math.Max(12, 2 + (int)Math.Ceiling(options.BeadDistanceNm / Math.Min(voxelSize.X, Math.Min(voxelSize.Y, voxelSize.Z))));
        var outcomes = EachCandidate(engine, protrusionBits, info, minVoxels, margin, "protrusions", (roi, own, prot) =>
            FilopodiumAnalyzer.AnalyzeAll(new ProtrusionCrop(roi, own, cellBits.Crop(roi), thinBits.Crop(roi), prot, beadBits?.Crop(roi)), info, voxelSize, options, minVoxels),
            progress, cancellation);
        return Collect(outcomes, info, voxelSize, options, rule, cellVoxels);
    }

    /// <summary>Throws <see cref="InvalidInputException"/> when the bead mask or the tomogram of <paramref name="extras"/> is not of <paramref name="info"/>'s shape.</summary>
    internal static void CheckExtras(FilopodiaExtras extras, VolumeInfo info, string infoName)
    {
        if (extras.Beads is not null) SameShape(extras.Beads.Info, "the bead mask", info, infoName);
        if (extras.Tomogram is not null) SameShape(extras.Tomogram.Info, extras.Tomogram.Path, info, infoName);
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming <paramref name="what"/> when <paramref name="other"/> is not of <paramref name="info"/>'s shape.</summary>
    internal static void SameShape(VolumeInfo other, string what, VolumeInfo info, string infoName)
    {
        if (other.Nx != info.Nx || other.Ny != info.Ny || other.Nz != info.Nz)
            throw new InvalidInputException(what, $"is {other.Nx} × {other.Ny} × {other.Nz}, {infoName} {info.Nx} × {info.Ny} × {info.Nz}");
    }

    /// <summary>The gold beads: the given mask, or those found in the tomogram (and a clause for the rule saying how), or none.</summary>
    internal static (IMaskStream? Beads, string Rule) Gold(FilopodiaExtras extras, FilopodiaOptions options, IProgress<ProgressUpdate>? progress, CancellationToken cancellation)
    {
        if (extras.Beads is not null || extras.Tomogram is null) return (extras.Beads, "");
        var finder = BeadFinder.Build(extras.Tomogram, options.BeadThreshold, progress, cancellation);
        return (finder.Beads(), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; gold: tomogram values above {finder.Threshold:G4}"));
    }

    /// <summary>Objects smaller than half a cylinder of the minimum diameter and length (at least 8 voxels) cannot be a filopodium.</summary>
    internal static long MinVoxels(FilopodiaOptions options, VoxelSize voxelSize)
    {
        double minVolume = Math.PI * Math.Pow(options.MinDiameterNm / 2, 2) * Math.Max(options.MinLengthNm, options.MinDiameterNm) / 2;
        return Math.Max(8, (long)(minVolume / voxelSize.Volume));
    }

    /// <summary>
    /// Every component of <paramref name="engine"/> with at least <paramref name="minVoxels"/> voxels, analysed in parallel in a
    /// crop <paramref name="margin"/> voxels wider: <paramref name="analyze"/> gets the crop's box, the component alone and
    /// every object of <paramref name="objects"/> in the crop.
    /// </summary>
    internal static List<ProtrusionOutcome>[] EachCandidate(ComponentEngine engine, BitVolume objects, VolumeInfo info, long minVoxels, int margin, string unit,
        Func<VoxelBox, Volume<byte>, Volume<byte>, List<ProtrusionOutcome>> analyze, IProgress<ProgressUpdate>? progress, CancellationToken cancellation)
    {
        var candidates = new List<(VoxelBox Box, long Voxels)>();
        for (int i = 0; i < engine.GlobalCount; i++)
            if (engine.Roots[i] == i && engine.RootVoxels[i] >= minVoxels) candidates.Add((engine.RootBoxes[i], engine.RootVoxels[i]));
        var outcomes = new List<ProtrusionOutcome>[candidates.Count];
        int done = 0;
        Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellation }, c =>
        {
            var (box, count) = candidates[c];
            var roi = new VoxelBox(Math.Max(0, box.X0 - margin), Math.Max(0, box.Y0 - margin), Math.Max(0, box.Z0 - margin),
                Math.Min(info.Nx - 1, box.X1 + margin), Math.Min(info.Ny - 1, box.Y1 + margin), Math.Min(info.Nz - 1, box.Z1 + margin));
            var all = objects.Crop(roi);
            outcomes[c] = analyze(roi, OwnComponent(all, box, roi, count), all);
            progress.Report("measuring filopodia", Interlocked.Increment(ref done), candidates.Count, unit);
        });
        return outcomes;
    }

    /// <summary>The accepted filopodia of all outcomes, numbered from 1, and the counts of the rejected ones.</summary>
    internal static FilopodiaResult Collect(List<ProtrusionOutcome>[] outcomes, VolumeInfo info, VoxelSize voxelSize, FilopodiaOptions options, string rule, long cellVoxels)
    {
        var list = new List<Filopodium>();
        int detached = 0, tooShort = 0, tooThin = 0, tooWide = 0;
        foreach (var o in outcomes.SelectMany(x => x))
        {
            switch (o.Rejection)
            {
                case Rejection.Detached: detached++; break;
                case Rejection.TooShort: tooShort++; break;
                case Rejection.TooThin: tooThin++; break;
                case Rejection.TooWide: tooWide++; break;
                default:
                    int id = list.Count + 1;
                    list.Add(o.Filopodium! with { Id = id, Measures = o.Filopodium!.Measures with { ObjectId = (uint)id }, Slices = o.Filopodium.Slices.Select(s => s with { ObjectId = (uint)id }).ToList() });
                    break;
            }
        }
        var counts = new FilopodiaCounts(outcomes.Sum(x => x.Count), detached, tooShort, tooThin, tooWide,
            list.Count(f => f.CutByFieldOfView), list.Count(f => f.NearBead), list.Count(f => f.InSummary));
        return new FilopodiaResult(list, counts, info, voxelSize, options, rule, cellVoxels);
    }

    /// <summary>
    /// The intermediate masks, streamed (for inspection and figures): the solid cells (to the middle
    /// of their membranes) and the protrusions (the cell parts thinner than the maximum diameter,
    /// opened by the minimum diameter). Runs the background labelling and the fill now, once, and keeps the solid
    /// cells as bits, so the two streams are independent (either may be read first, or both in turn).
    /// </summary>
    public static (IMaskStream Cells, IMaskStream Protrusions) Masks(IMaskStream membranes, VoxelSize voxelSize, FilopodiaOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, IMaskStream? cellMask = null)
    {
        options ??= new FilopodiaOptions();
        options.Validate();
        var info = membranes.Info with { VoxelSize = voxelSize, Type = VoxelType.UInt8 };
        var core = CellCore(cellMask, info, voxelSize, options, default);
        var cellBits = ToBits(SolidCell(CellCodes(membranes, info, options, core, progress, default, cellMask).Codes, voxelSize, options), info, default);
        return (new BitVolumeStream(cellBits, info), Protrusions(ThinParts(new BitVolumeStream(cellBits, info), voxelSize, options), voxelSize, options));
    }

    /// <summary>The solid cells, to the middle of their membranes, from the fill's cell codes.</summary>
    private static IMaskStream SolidCell(IMaskStream cellCodes, VoxelSize voxelSize, FilopodiaOptions options) =>
        new MidMembraneStream(cellCodes, voxelSize, options.MaxMembraneThicknessNm / 2);

    /// <summary>The parts of the solid cells a ball of the maximum diameter does not reach (the opening's residual).</summary>
    private static IMaskStream ThinParts(IMaskStream cell, VoxelSize voxelSize, FilopodiaOptions options) =>
        new BallOpeningStream(cell, voxelSize, options.MaxDiameterNm / 2, residual: true, Slack(voxelSize));

    /// <summary>The thin parts opened by a ball of the minimum diameter: the protrusions.</summary>
    private static IMaskStream Protrusions(IMaskStream thin, VoxelSize voxelSize, FilopodiaOptions options) =>
        new BallOpeningStream(thin, voxelSize, options.MinDiameterNm / 2, residual: false);

    /// <summary>The deep inside of a given cell mask (eroded by <see cref="FilopodiaOptions.CellMaskMarginNm"/>), kept as bits; null without a mask.</summary>
    private static BitVolume? CellCore(IMaskStream? cellMask, VolumeInfo info, VoxelSize voxel, FilopodiaOptions options, CancellationToken cancellation)
    {
        if (cellMask is null) return null;
        int steps = (int)Math.Ceiling(options.CellMaskMarginNm / Math.Min(voxel.X, Math.Min(voxel.Y, voxel.Z)) - 1e-9);
        var eroded = steps > 0 ? cellMask.Erode(steps, Connectivity.Six) : cellMask;
        return ToBits(eroded, info, cancellation);
    }

    /// <summary>
    /// Voxel codes of the filled cells (<see cref="CellCodeStream"/>) and the rule used: the background is labelled in
    /// 3D once; when that leaves the cells closed (<see cref="FillMode.Volume"/>, or <see cref="FillMode.Auto"/> with
    /// an inside of at least <see cref="OpenLabelsRatio"/> × the membrane voxels) the 3D fill is used, otherwise the
    /// cells are filled slice by slice in 2D (<see cref="SliceFillStream"/>; the raw cell mask, if given, is the body).
    /// </summary>
    private static (IMaskStream Codes, string Rule) CellCodes(IMaskStream membranes, VolumeInfo info, FilopodiaOptions options, BitVolume? core,
        IProgress<ProgressUpdate>? progress, CancellationToken cancellation, IMaskStream? cellMask = null)
    {
        IMaskStream closed = options.CloseSteps > 0 ? membranes.Close(options.CloseSteps) : membranes;
        if (options.Fill == FillMode.Slices) return Slices(closed, cellMask, options, "--fill slices");
        IMaskStream walls = core is null ? closed : new OrStream(closed, new BitVolumeStream(core, info));
        var background = ComponentEngine.Run(walls, Connectivity.Six, inverted: true, progress, "finding the outside of the cells", cancellation);
        var (exterior, rule) = Exterior(background, info);
        if (options.Fill == FillMode.Auto)
        {
            // whether the labels are open is a property of the labels: with a cell mask, judged on a labelling of the
            // labels alone (the core is neither membrane nor background; counted as either, a mask that covers most of
            // a closed cell would make its labels look open)
            var (inside, membraneVoxels) = core is null ? InsideAndMembrane(background, exterior, info) : InsideAndMembraneOfLabels(closed, info, progress, cancellation);
            if (IsOpen(inside, membraneVoxels))
                return Slices(closed, cellMask, options, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"--fill auto: filled in 3D the cells hold {inside} voxels, fewer than {OpenLabelsRatio} × the {membraneVoxels} membrane voxels (labels open at the top and bottom)"));
        }
        if (core is not null) rule += "; the given cell mask's inside (eroded) is never outside";
        return (new CellCodeStream(walls, background, exterior, core is null ? null : new BitVolumeStream(core, info)), rule);
    }

    /// <summary>Voxels inside the cells (background not reached from outside) and membrane voxels (not background).</summary>
    private static (long Inside, long Membrane) InsideAndMembrane(ComponentEngine background, byte[] exterior, VolumeInfo info)
    {
        long inside = 0, backgroundVoxels = 0;
        for (int i = 0; i < background.GlobalCount; i++)
        {
            if (background.Roots[i] != i) continue;
            backgroundVoxels += background.RootVoxels[i];
            if (exterior[i] == 0) inside += background.RootVoxels[i];
        }
        return (inside, (long)info.Nx * info.Ny * info.Nz - backgroundVoxels);
    }

    /// <summary><see cref="InsideAndMembrane"/> of the (closed) labels alone: one more streamed labelling of their background.</summary>
    private static (long Inside, long Membrane) InsideAndMembraneOfLabels(IMaskStream closed, VolumeInfo info, IProgress<ProgressUpdate>? progress, CancellationToken cancellation)
    {
        var background = ComponentEngine.Run(closed, Connectivity.Six, inverted: true, progress, "checking whether the labels are closed", cancellation);
        return InsideAndMembrane(background, Exterior(background, info).Exterior, info);
    }

    private static bool IsOpen(long inside, long membraneVoxels) => membraneVoxels > 0 && inside < OpenLabelsRatio * membraneVoxels;

    /// <summary>
    /// Whether membrane labels are open at the top and bottom, as a network's are (the face-on membranes missing): filled in
    /// 3D after the closing of <paramref name="options"/>, the cells hold fewer than <see cref="OpenLabelsRatio"/> × the
    /// membrane voxels (the rule of <see cref="FillMode.Auto"/>). Exact or hand-drawn labels are closed. One streamed pass.
    /// </summary>
    public static bool LabelsAreOpen(IMaskStream membranes, FilopodiaOptions? options = null, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new FilopodiaOptions();
        var info = membranes.Info;
        IMaskStream closed = options.CloseSteps > 0 ? membranes.Close(options.CloseSteps) : membranes;
        var (inside, membrane) = InsideAndMembraneOfLabels(closed, info, progress, cancellation);
        membranes.Reset();
        return IsOpen(inside, membrane);
    }

    /// <summary>
    /// With <see cref="FillMode.Auto"/>, labels whose 3D fill holds fewer inside voxels than this many times their
    /// membrane voxels are open (measured: exact simulated labels 2.7–3.3, a network's labels without the face-on
    /// membranes 0.00–0.01) and are filled slice by slice.
    /// </summary>
    public const double OpenLabelsRatio = 0.5;

    private static (IMaskStream Codes, string Rule) Slices(IMaskStream closed, IMaskStream? cellMask, FilopodiaOptions options, string why)
    {
        string rule = $"filled slice by slice ({why}): background that a 2D flood from each x–y slice's border cannot reach is inside"
            + (cellMask is null ? "" : ", the given cell mask is inside and a wall")
            + (options.ZMajority > 0 ? $"; majority over ±{options.ZMajority} slices" : "");
        return (new SliceFillStream(closed, cellMask, options.ZMajority), rule);
    }

    /// <summary>Extra dilation radius of the body opening: one mean voxel (see <see cref="BallOpeningStream"/>).</summary>
    private static double Slack(VoxelSize v) => (v.X + v.Y + v.Z) / 3;

    /// <summary>Which background components are outside the cells (1) and a sentence saying how that was decided.</summary>
    private static (byte[] Exterior, string Rule) Exterior(ComponentEngine background, VolumeInfo info)
    {
        int g = background.GlobalCount;
        var roots = background.Roots;
        var boxes = background.RootBoxes;
        bool anyZ = false;
        for (int i = 0; i < g; i++)
            if (roots[i] == i && (boxes[i].Z0 == 0 || boxes[i].Z1 == info.Nz - 1)) { anyZ = true; break; }
        var exterior = new byte[g];
        for (int i = 0; i < g; i++)
        {
            var b = boxes[roots[i]];
            bool outside = anyZ ? b.Z0 == 0 || b.Z1 == info.Nz - 1 : b.TouchesBorder(info.Nx, info.Ny, info.Nz);
            exterior[i] = outside ? (byte)1 : (byte)0;
        }
        string rule = anyZ
            ? "outside = background connected to the top or bottom face of the volume (ice and vacuum around an adherent cell)"
            : "no background reaches the top or bottom face: outside = background connected to any face of the volume";
        return (exterior, rule);
    }

    /// <summary>The component of <paramref name="protrusions"/> (a crop at <paramref name="roi"/>) that is the candidate with this box and size.</summary>
    internal static Volume<byte> OwnComponent(Volume<byte> protrusions, VoxelBox box, VoxelBox roi, long voxels)
    {
        var (labels, n) = ConnectedComponents.Label(protrusions, new ComponentOptions { Connectivity = Connectivity.TwentySix });
        var rel = new VoxelBox(box.X0 - roi.X0, box.Y0 - roi.Y0, box.Z0 - roi.Z0, box.X1 - roi.X0, box.Y1 - roi.Y0, box.Z1 - roi.Z0);
        var stream = LabelStreams.FromVolume(labels, n);
        uint pick = 0;
        for (int l = 1; l <= n; l++)
            if (stream.Bounds[l - 1] == rel && stream.VoxelCounts[l - 1] == voxels) { pick = (uint)l; break; }
        if (pick == 0) throw new InvalidOperationException("a protrusion was not found again in its crop");
        var own = new Volume<byte>(protrusions.Nx, protrusions.Ny, protrusions.Nz);
        for (int i = 0; i < own.Data.Length; i++) own.Data[i] = labels.Data[i] == pick ? (byte)1 : (byte)0;
        return own;
    }

    /// <summary>A streamed mask kept as bits (1 bit per voxel).</summary>
    internal static BitVolume ToBits(IMaskStream mask, VolumeInfo info, CancellationToken cancellation)
    {
        var bits = new BitVolume(info.Nx, info.Ny, info.Nz);
        var buffer = new byte[info.SliceLength];
        mask.Reset();
        for (int z = 0; z < info.Nz; z++)
        {
            cancellation.ThrowIfCancellationRequested();
            mask.ReadNext(buffer);
            bits.SetSlice(z, buffer);
        }
        return bits;
    }

    private static long CountBits(BitVolume bits, VolumeInfo info)
    {
        var buffer = new byte[info.SliceLength];
        long n = 0;
        for (int z = 0; z < info.Nz; z++)
        {
            bits.GetSlice(z, buffer);
            n += buffer.Length - buffer.AsSpan().Count((byte)0);
        }
        return n;
    }
}
