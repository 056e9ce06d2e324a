namespace SxtSeg.Simulation;

/// <summary>
/// The analytic specimen: container (ice slab or capillary), cells, organelles, filopodia and gold
/// beads, each an analytic <see cref="Shape"/> with absorption and membranes. It covers the field
/// of view plus a margin along x (material that rays cross at high tilt) and along y (for the
/// point spread function); <see cref="PhantomRenderer"/> rasterises any row on demand, so the
/// specimen is never held as a voxel volume.
/// </summary>
public sealed class Phantom
{
    internal Phantom(SimulationParameters p, int marginX, int haloY, NoiseTile noise, IReadOnlyList<SimObject> objects, IReadOnlyList<PlacementSummary> placements, double cytoplasmVolume)
    {
        Parameters = p;
        VoxelNm = p.VoxelSizeNm;
        Nx = p.Nx; Ny = p.Ny; Nz = p.Nz;
        MarginX = marginX;
        HaloY = haloY;
        Noise = noise;
        Objects = objects;
        Placements = placements;
        CytoplasmVolumeNm3 = cytoplasmVolume;
        Geometry = p.Geometry;
        double t = p.EffectiveIceThicknessNm, zc = (Nz - 1) * 0.5 * VoxelNm;
        SlabLoNm = zc - t / 2;
        SlabHiNm = zc + t / 2;
        CapillaryXNm = (Nx - 1) * 0.5 * VoxelNm;
        CapillaryZNm = zc;
        CapillaryInnerNm = t / 2;
        CapillaryOuterNm = t / 2 + p.CapillaryWallNm;
        SlabProfile = new float[Nz];
        for (int z = 0; z < Nz; z++)
        {
            double zz = z * VoxelNm;
            double d = Math.Max(SlabLoNm - zz, zz - SlabHiNm) / VoxelNm;
            SlabProfile[z] = (float)(p.IceLac * Math.Clamp(0.5 - d, 0, 1));
        }
    }

    /// <summary>The parameters.</summary>
    public SimulationParameters Parameters { get; }

    /// <summary>
    /// The same specimen under other acquisition parameters (<see cref="SimulationParameters.NoiseFreeTwin"/>):
    /// the objects, texture and placement are shared, not rebuilt. Only parameters that do not shape the
    /// specimen may differ.
    /// </summary>
    internal Phantom WithAcquisition(SimulationParameters p) => new(p, MarginX, HaloY, Noise, Objects, Placements, CytoplasmVolumeNm3);

    /// <summary>Voxel size (nm).</summary>
    public double VoxelNm { get; }

    /// <summary>Field of view along x.</summary>
    public int Nx { get; }

    /// <summary>Field of view along y.</summary>
    public int Ny { get; }

    /// <summary>Field of view along z.</summary>
    public int Nz { get; }

    /// <summary>Voxels simulated on each side beyond the field of view along x.</summary>
    public int MarginX { get; }

    /// <summary>Rows beyond the field of view along y that hold specimen (for the point spread function).</summary>
    public int HaloY { get; }

    /// <summary>Width of the simulated domain along x (voxels).</summary>
    public int Width => Nx + 2 * MarginX;

    /// <summary>Slab or capillary.</summary>
    public SampleGeometry Geometry { get; }

    /// <summary>Bottom of the ice slab (nm).</summary>
    public double SlabLoNm { get; }

    /// <summary>Top of the ice slab (nm).</summary>
    public double SlabHiNm { get; }

    /// <summary>Capillary axis x (nm).</summary>
    public double CapillaryXNm { get; }

    /// <summary>Capillary axis z (nm).</summary>
    public double CapillaryZNm { get; }

    /// <summary>Inner radius of the capillary (ice) (nm).</summary>
    public double CapillaryInnerNm { get; }

    /// <summary>Outer radius of the capillary glass (nm).</summary>
    public double CapillaryOuterNm { get; }

    /// <summary>LAC of the ice slab per slice z, with partial volume at its faces (slab geometry).</summary>
    public float[] SlabProfile { get; }

    /// <summary>Texture noise.</summary>
    public NoiseTile Noise { get; }

    /// <summary>All objects in painting order.</summary>
    public IReadOnlyList<SimObject> Objects { get; }

    /// <summary>What was requested and placed per organelle type.</summary>
    public IReadOnlyList<PlacementSummary> Placements { get; }

    /// <summary>Cytoplasm volume inside the simulated domain (nm³).</summary>
    public double CytoplasmVolumeNm3 { get; }

    /// <summary>The field of view in nm (voxel centres at index × voxel size).</summary>
    public Box3 FieldOfView => new(new V3(-0.5, -0.5, -0.5) * VoxelNm, new V3(Nx - 0.5, Ny - 0.5, Nz - 0.5) * VoxelNm);

    /// <summary>
    /// Line integral (∫μ dl, dimensionless) of the laterally infinite ice slab along a ray at tilt
    /// <paramref name="thetaDeg"/>: μ_ice · T / cos θ. Added analytically to every projection so that
    /// the slab needs no lateral extent in the simulated domain.
    /// </summary>
    public double SlabLineIntegral(double thetaDeg)
    {
        double t = 0;
        foreach (float v in SlabProfile) t += v;
        return t * VoxelNm * 1e-3 / Math.Cos(thetaDeg * Math.PI / 180);
    }

    /// <summary>
    /// Margins of the simulated domain: along x, enough for rays through the ice slab at the
    /// largest tilt (at most half the field of view; none for a capillary, which lies inside the
    /// field of view); along y, room for the point spread function and shifts.
    /// </summary>
    public static (int MarginX, int HaloY) Margins(SimulationParameters p)
    {
        double maxTilt = Math.Max(Math.Abs(p.TiltMinDeg), Math.Abs(p.TiltMaxDeg));
        int mx = p.Geometry == SampleGeometry.Capillary ? 0
            : Math.Min((int)Math.Ceiling(p.EffectiveIceThicknessNm / 2 / p.VoxelSizeNm * Math.Tan(Math.Min(maxTilt, 80) * Math.PI / 180)) + 4, p.Nx / 2);
        int hy = Math.Max(24, (int)Math.Ceiling(300 / p.VoxelSizeNm));
        return (mx, hy);
    }

    /// <summary>
    /// A phantom made of the given objects (painted in order; a child must follow its parent) in the
    /// container of <paramref name="p"/>: for tests and for specimens described by hand.
    /// </summary>
    public static Phantom Create(SimulationParameters p, IEnumerable<SimObject> objects)
    {
        p.Validate();
        p = AppearanceRandomiser.Resolve(p);
        var list = objects.ToList();
        for (int i = 0; i < list.Count; i++) list[i].Index = i;
        var fov = new Box3(new V3(-0.5, -0.5, -0.5) * p.VoxelSizeNm, new V3(p.Nx - 0.5, p.Ny - 0.5, p.Nz - 0.5) * p.VoxelSizeNm);
        PhantomBuilder.AssignIds(list, fov, p.VoxelSizeNm);
        var (mx, hy) = Margins(p);
        return new Phantom(p, mx, hy, new NoiseTile(new SimRandom((ulong)p.Seed).Fork("noise")), list, Array.Empty<PlacementSummary>(), 0);
    }

    /// <summary>Builds the phantom for <paramref name="p"/> (validated; a random appearance is drawn first) from its seed.</summary>
    public static Phantom Build(SimulationParameters p, IProgress<ProgressUpdate>? progress = null)
        => new PhantomBuilder(AppearanceRandomiser.Resolve(p), progress).Build();
}
