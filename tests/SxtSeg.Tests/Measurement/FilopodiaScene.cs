using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>
/// A synthetic adherent-cell edge with filopodia of known geometry, rasterised like the
/// simulator's membrane labels: the cell body is the slab x ≥ <see cref="EdgeX"/>, z in
/// [<see cref="BottomZ"/>, <see cref="BottomZ"/> + <see cref="Height"/>] (cut by the volume's faces at
/// x = Nx − 1 and in y), and each filopodium a straight capsule (cylinder with hemispherical tip)
/// starting inside the body and leaving its wall at x = EdgeX. Membrane labels are the voxels whose
/// centre lies within <see cref="ShellHalfWidth"/> voxels of the surface of the union (body and
/// filopodia), so the filopodia are hollow tubes opening into the cell, as in a tomogram. All
/// lengths in voxels unless named in nm.
/// </summary>
internal sealed class FilopodiaScene
{
    /// <summary>One filopodium: axis from the wall point (EdgeX, Y, Z) outwards along the unit (Dx, Dy, Dz) (Dx &lt; 0) for Length voxels, then a hemispherical tip.</summary>
    public sealed record Rod(double Y, double Z, double Dx, double Dy, double Dz, double Length, double Radius)
    {
        /// <summary>Volume of the protruding part (cylinder from the wall to the tip-cap centre, plus the cap), voxels³. The oblique cut at the wall leaves the volume of a square cut through the same axis point.</summary>
        public double Volume => Math.PI * Radius * Radius * Length + 2.0 / 3 * Math.PI * Radius * Radius * Radius;

        /// <summary>Membrane area of the protruding part without its base (voxels²).</summary>
        public double Area => 2 * Math.PI * Radius * Length + 2 * Math.PI * Radius * Radius;

        /// <summary>Base to tip along the axis (voxels).</summary>
        public double TotalLength => Length + Radius;
    }

    public FilopodiaScene(int nx, int ny, int nz, double edgeX, double bottomZ, double height, IReadOnlyList<Rod> rods, double voxelNm = 10)
    {
        Nx = nx; Ny = ny; Nz = nz;
        EdgeX = edgeX; BottomZ = bottomZ; Height = height;
        Rods = rods;
        VoxelNm = voxelNm;
    }

    public int Nx { get; }
    public int Ny { get; }
    public int Nz { get; }
    public double EdgeX { get; }
    public double BottomZ { get; }
    public double Height { get; }
    public IReadOnlyList<Rod> Rods { get; }
    public double VoxelNm { get; }
    public double ShellHalfWidth { get; init; } = 1.25;

    /// <summary>Far side of the body in x (default: beyond the volume, so the body is cut by the face x = Nx − 1).</summary>
    public double FarX { get; init; } = double.PositiveInfinity;

    /// <summary>The body's extent in y (default: beyond the volume, cut by the faces in y).</summary>
    public (double Min, double Max) BodyY { get; init; } = (double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>
    /// Leave out the membranes a slice cannot show, as a network trained on what slices show does:
    /// membrane voxels whose surface normal is within this angle (degrees) of z (face-on, inside the
    /// missing wedge: the body's top and bottom, the top and bottom of each rod). 0: all labelled.
    /// </summary>
    public double FaceOnDegrees { get; init; }

    /// <summary>Signed distance to the cell body (negative inside), voxels.</summary>
    public double Body(double x, double y, double z)
        => Math.Max(Math.Max(EdgeX - x, x - FarX), Math.Max(Math.Max(BodyY.Min - y, y - BodyY.Max), Math.Max(BottomZ - z, z - BottomZ - Height)));

    /// <summary>Signed distance to rod r, whose axis starts 30 voxels inside the body.</summary>
    public double RodDistance(Rod r, double x, double y, double z)
    {
        double ax = EdgeX - 30 * r.Dx, ay = r.Y - 30 * r.Dy, az = r.Z - 30 * r.Dz; // start inside (Dx < 0)
        double len = r.Length + 30;
        double t = Math.Clamp((x - ax) * r.Dx + (y - ay) * r.Dy + (z - az) * r.Dz, 0, len);
        double px = x - (ax + t * r.Dx), py = y - (ay + t * r.Dy), pz = z - (az + t * r.Dz);
        return Math.Sqrt(px * px + py * py + pz * pz) - r.Radius;
    }

    /// <summary>Signed distance to the whole cell.</summary>
    public double Distance(double x, double y, double z)
    {
        double d = Body(x, y, z);
        foreach (var r in Rods) d = Math.Min(d, RodDistance(r, x, y, z));
        return d;
    }

    /// <summary>The membrane labels (0/1).</summary>
    public Volume<byte> Membranes()
    {
        var v = new Volume<byte>(Nx, Ny, Nz, VoxelSize.Isotropic(VoxelNm));
        Parallel.For(0, Nz, z =>
        {
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                    if (Math.Abs(Distance(x, y, z)) <= ShellHalfWidth && !FaceOn(x, y, z)) v[z, y, x] = 1;
        });
        return v;
    }

    /// <summary>The surface nearest (x, y, z) is face-on: its normal (the distance's gradient) within <see cref="FaceOnDegrees"/> of z.</summary>
    private bool FaceOn(double x, double y, double z)
    {
        if (FaceOnDegrees <= 0) return false;
        const double h = 0.25;
        double gx = Distance(x + h, y, z) - Distance(x - h, y, z);
        double gy = Distance(x, y + h, z) - Distance(x, y - h, z);
        double gz = Distance(x, y, z + h) - Distance(x, y, z - h);
        double n = Math.Sqrt(gx * gx + gy * gy + gz * gz);
        return n > 0 && Math.Abs(gz) / n > Math.Cos(FaceOnDegrees * Math.PI / 180);
    }

    /// <summary>A rough cell mask: the voxels within <paramref name="marginVoxels"/> of the body (its inside and a little of its membrane), as a user would draw it.</summary>
    public Volume<byte> BodyMask(double marginVoxels)
    {
        var v = new Volume<byte>(Nx, Ny, Nz, VoxelSize.Isotropic(VoxelNm));
        for (int z = 0; z < Nz; z++)
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                    if (Body(x, y, z) <= marginVoxels) v[z, y, x] = 1;
        return v;
    }

    /// <summary>The voxels of rod i's protruding part (centre inside the rod, outside the body): the instance the simulator would write.</summary>
    public long InstanceVoxels(int i)
    {
        long n = 0;
        for (int z = 0; z < Nz; z++)
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                    if (Body(x, y, z) >= 0 && RodDistance(Rods[i], x, y, z) < 0 && Nearest(x, y, z) == i) n++;
        return n;
    }

    /// <summary>The protruding parts of all rods (centre inside a rod, outside the body) as one 0/1 mask: what a filopodium model labels.</summary>
    public Volume<byte> InstanceMask()
    {
        var v = new Volume<byte>(Nx, Ny, Nz, VoxelSize.Isotropic(VoxelNm));
        for (int z = 0; z < Nz; z++)
            for (int y = 0; y < Ny; y++)
                for (int x = 0; x < Nx; x++)
                {
                    if (Body(x, y, z) < 0) continue;
                    foreach (var r in Rods)
                        if (RodDistance(r, x, y, z) < 0) { v[z, y, x] = 1; break; }
                }
        return v;
    }

    private int Nearest(double x, double y, double z)
    {
        int best = -1;
        double d = double.MaxValue;
        for (int i = 0; i < Rods.Count; i++)
        {
            double di = RodDistance(Rods[i], x, y, z);
            if (di < d) { d = di; best = i; }
        }
        return best;
    }
}
