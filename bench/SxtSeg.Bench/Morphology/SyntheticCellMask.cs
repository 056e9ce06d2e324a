using SxtSeg.Volumes;

namespace SxtSeg.Bench.Morphology;

/// <summary>
/// A realistic binary membrane segmentation for benchmarking the object pipeline: an adherent cell
/// cut by the field of view (plasma membrane shell, thin periphery), a nucleus with a double
/// envelope, double-membrane mitochondria, ER tubules, vesicles and endosomes (membrane shells),
/// lipid droplets (solid), filopodia (solid rods 130 nm across from the cell edge, some tilted),
/// gold beads, and speckle false positives. Shells are 2 voxels thick, like the paper's labels.
/// Generated slice by slice (memory: one slice), deterministic for a seed.
/// </summary>
public sealed class SyntheticCellMask
{
    private readonly List<Shape> _shapes = new();

    private abstract record Shape(int Z0, int Z1, int Y0, int Y1, int X0, int X1)
    {
        public abstract bool Inside(double x, double y, double z);
    }

    /// <summary>Ellipsoid shell (or solid when thickness ≤ 0), axis-aligned, thickness in voxels.</summary>
    private sealed record EllipsoidShell(double Cx, double Cy, double Cz, double A, double B, double C, double T, int Z0, int Z1, int Y0, int Y1, int X0, int X1)
        : Shape(Z0, Z1, Y0, Y1, X0, X1)
    {
        public override bool Inside(double x, double y, double z)
        {
            double px = x - Cx, py = y - Cy, pz = z - Cz;
            if (px * px / (A * A) + py * py / (B * B) + pz * pz / (C * C) > 1) return false;
            if (T <= 0) return true;
            // Shell = ellipsoid minus the ellipsoid whose semi-axes are T shorter (thickness T everywhere, also on flat cells).
            double a = A - T, b = B - T, c = C - T;
            return a <= 0 || b <= 0 || c <= 0 || px * px / (a * a) + py * py / (b * b) + pz * pz / (c * c) > 1;
        }
    }

    /// <summary>Capsule (segment with radius) shell or solid; optional second, inner shell (double membrane).</summary>
    private sealed record Capsule(double Ax, double Ay, double Az, double Bx, double By, double Bz, double R, double T, double InnerGap, int Z0, int Z1, int Y0, int Y1, int X0, int X1)
        : Shape(Z0, Z1, Y0, Y1, X0, X1)
    {
        public override bool Inside(double x, double y, double z)
        {
            double ux = Bx - Ax, uy = By - Ay, uz = Bz - Az;
            double len2 = ux * ux + uy * uy + uz * uz;
            double t = len2 > 0 ? Math.Clamp(((x - Ax) * ux + (y - Ay) * uy + (z - Az) * uz) / len2, 0, 1) : 0;
            double dx = x - (Ax + t * ux), dy = y - (Ay + t * uy), dz = z - (Az + t * uz);
            double d = Math.Sqrt(dx * dx + dy * dy + dz * dz);
            if (d > R) return false;
            if (T <= 0) return true;
            if (d > R - T) return true;
            if (InnerGap > 0) return d <= R - T - InnerGap && d > R - 2 * T - InnerGap;
            return false;
        }
    }

    /// <summary>Builds the scene for a volume of the given size (voxels of about 10 nm).</summary>
    public SyntheticCellMask(int nx, int ny, int nz, int seed = 1)
    {
        Nx = nx; Ny = ny; Nz = nz;
        var rng = new Random(seed);
        double s = Math.Min(nx, ny) / 1284.0; // scale of the scene
        // Cell: a flat ellipsoid larger than the field of view in x, cut by it; thin towards the edge.
        double cellA = nx * 0.62, cellB = ny * 0.45, cellC = nz * 0.40;
        double ccx = nx * 0.45, ccy = ny * 0.52, ccz = nz * 0.5;
        Add(new EllipsoidShell(ccx, ccy, ccz, cellA, cellB, cellC, 2, 0, 0, 0, 0, 0, 0), ccx, ccy, ccz, cellA, cellB, cellC);
        // Nucleus with a double envelope (two shells 3 voxels apart).
        double na = 260 * s, nb = 210 * s, nc = nz * 0.25, ncx = ccx + 60 * s, ncy = ccy, ncz = ccz;
        Add(new EllipsoidShell(ncx, ncy, ncz, na, nb, nc, 2, 0, 0, 0, 0, 0, 0), ncx, ncy, ncz, na, nb, nc);
        Add(new EllipsoidShell(ncx, ncy, ncz, na - 5, nb - 5, nc - 5, 2, 0, 0, 0, 0, 0, 0), ncx, ncy, ncz, na - 5, nb - 5, nc - 5);
        // Points inside the cytoplasm (inside the cell, outside the nucleus).
        // True when a ball of radius m around (x, y, z) lies in the cytoplasm: inside the cell, outside the nucleus, in the field of view.
        bool InCytoplasm(double x, double y, double z, double m)
        {
            double c = Sq((x - ccx) / (cellA - m - 4)) + Sq((y - ccy) / (cellB - m - 4)) + Sq((z - ccz) / (cellC - m - 4));
            double n = Sq((x - ncx) / (na + m + 4)) + Sq((y - ncy) / (nb + m + 4)) + Sq((z - ncz) / (nc + m + 4));
            return c < 1 && n > 1 && x > m && y > m && x < nx - m && y < ny - m;
        }
        (double X, double Y, double Z) Cytoplasm(double margin)
        {
            while (true)
            {
                double x = rng.NextDouble() * nx, y = rng.NextDouble() * ny, z = rng.NextDouble() * nz;
                if (InCytoplasm(x, y, z, margin)) return (x, y, z);
            }
        }
        // Mitochondria: double-membrane capsules, radius ~13 voxels, length 50–300.
        for (int i = 0; i < (int)(70 * s * s); i++)
        {
            var (x, y, z) = Cytoplasm(20);
            double len = 50 + rng.NextDouble() * 250, th = rng.NextDouble() * Math.PI, tilt = (rng.NextDouble() - 0.5) * 0.4;
            double dx = Math.Cos(th) * len / 2, dy = Math.Sin(th) * len / 2, dz = tilt * len / 2;
            if (!InCytoplasm(x - dx, y - dy, z - dz, 20) || !InCytoplasm(x + dx, y + dy, z + dz, 20)) { i--; continue; }
            AddCapsule(x - dx, y - dy, z - dz, x + dx, y + dy, z + dz, 12 + rng.NextDouble() * 4, 2, 3);
        }
        // ER tubules: chains of thin hollow segments.
        for (int i = 0; i < (int)(120 * s * s); i++)
        {
            var (x, y, z) = Cytoplasm(20);
            double th = rng.NextDouble() * 2 * Math.PI;
            for (int k = 0; k < 6; k++)
            {
                double len = 20 + rng.NextDouble() * 30;
                th += (rng.NextDouble() - 0.5) * 1.2;
                double x2 = x + Math.Cos(th) * len, y2 = y + Math.Sin(th) * len, z2 = z + (rng.NextDouble() - 0.5) * 6;
                if (!InCytoplasm(x2, y2, z2, 8)) break;
                AddCapsule(x, y, z, x2, y2, z2, 4, 2, 0);
                (x, y, z) = (x2, y2, z2);
            }
        }
        // Vesicles (radius 3–8) and endosomes (10–35): spherical shells.
        for (int i = 0; i < (int)(700 * s * s); i++)
        {
            double r = rng.NextDouble() < 0.8 ? 3 + rng.NextDouble() * 5 : 10 + rng.NextDouble() * 25;
            var (x, y, z) = Cytoplasm(r + 2);
            Add(new EllipsoidShell(x, y, z, r, r, r, r < 5 ? 1.5 : 2, 0, 0, 0, 0, 0, 0), x, y, z, r, r, r);
        }
        // Lipid droplets: solid spheres.
        for (int i = 0; i < (int)(25 * s * s); i++)
        {
            double r = 10 + rng.NextDouble() * 25;
            var (x, y, z) = Cytoplasm(r + 2);
            Add(new EllipsoidShell(x, y, z, r, r, r, 0, 0, 0, 0, 0, 0, 0), x, y, z, r, r, r);
        }
        // Filopodia: solid rods 130 nm across (radius 6.5), 50–150 long, leaving the cell edge, some tilted.
        for (int i = 0; i < (int)(45 * s * s); i++)
        {
            double a = rng.NextDouble() * 2 * Math.PI;
            double ex = ccx + Math.Cos(a) * cellA * 0.97, ey = ccy + Math.Sin(a) * cellB * 0.97, ez = ccz + (rng.NextDouble() - 0.5) * cellC * 0.3;
            double len = 50 + rng.NextDouble() * 100, tilt = (rng.NextDouble() - 0.5) * 0.8;
            double fx = ex + Math.Cos(a) * len, fy = ey + Math.Sin(a) * len, fz = ez + tilt * len;
            AddCapsule(ex, ey, ez, fx, fy, fz, 6.5, 0, 0);
        }
        // Gold beads (solid, radius 5) outside the cell, and speckle false positives everywhere.
        for (int i = 0; i < (int)(30 * s * s); i++)
        {
            double x = rng.NextDouble() * nx, y = rng.NextDouble() * ny, z = rng.NextDouble() < 0.5 ? 8 : nz - 8;
            Add(new EllipsoidShell(x, y, z, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0), x, y, z, 5, 5, 5);
        }
        for (int i = 0; i < (int)(20000 * s * s * nz / 350.0); i++)
        {
            double x = rng.NextDouble() * nx, y = rng.NextDouble() * ny, z = rng.NextDouble() * nz, r = 0.6 + rng.NextDouble() * 1.2;
            Add(new EllipsoidShell(x, y, z, r, r, r, 0, 0, 0, 0, 0, 0, 0), x, y, z, r, r, r);
        }
        ShapeCount = _shapes.Count;
    }

    /// <summary>Voxels along x.</summary>
    public int Nx { get; }

    /// <summary>Voxels along y.</summary>
    public int Ny { get; }

    /// <summary>Voxels along z.</summary>
    public int Nz { get; }

    /// <summary>Number of primitive shapes.</summary>
    public int ShapeCount { get; }

    private static double Sq(double v) => v * v;

    private void Add(Shape shape, double cx, double cy, double cz, double ax, double ay, double az)
        => _shapes.Add(shape with
        {
            X0 = (int)Math.Floor(cx - ax - 1), X1 = (int)Math.Ceiling(cx + ax + 1),
            Y0 = (int)Math.Floor(cy - ay - 1), Y1 = (int)Math.Ceiling(cy + ay + 1),
            Z0 = (int)Math.Floor(cz - az - 1), Z1 = (int)Math.Ceiling(cz + az + 1),
        });

    private void AddCapsule(double ax, double ay, double az, double bx, double by, double bz, double r, double t, double gap)
    {
        var c = new Capsule(ax, ay, az, bx, by, bz, r, t, gap, 0, 0, 0, 0, 0, 0);
        _shapes.Add(c with
        {
            X0 = (int)Math.Floor(Math.Min(ax, bx) - r - 1), X1 = (int)Math.Ceiling(Math.Max(ax, bx) + r + 1),
            Y0 = (int)Math.Floor(Math.Min(ay, by) - r - 1), Y1 = (int)Math.Ceiling(Math.Max(ay, by) + r + 1),
            Z0 = (int)Math.Floor(Math.Min(az, bz) - r - 1), Z1 = (int)Math.Ceiling(Math.Max(az, bz) + r + 1),
        });
    }

    /// <summary>Writes slice <paramref name="z"/> (0/1 bytes).</summary>
    public void Slice(int z, Span<byte> dest)
    {
        dest.Clear();
        foreach (var sh in _shapes)
        {
            if (z < sh.Z0 || z > sh.Z1) continue;
            int y0 = Math.Max(0, sh.Y0), y1 = Math.Min(Ny - 1, sh.Y1), x0 = Math.Max(0, sh.X0), x1 = Math.Min(Nx - 1, sh.X1);
            for (int y = y0; y <= y1; y++)
            {
                var row = dest.Slice(y * Nx, Nx);
                for (int x = x0; x <= x1; x++)
                    if (row[x] == 0 && sh.Inside(x, y, z)) row[x] = 1;
            }
        }
    }

    /// <summary>Writes the mask to a file (MRC or TIFF), slices generated in parallel blocks.</summary>
    public void Write(string path, VoxelSize voxel)
    {
        var info = new VolumeInfo(Nx, Ny, Nz, VoxelType.UInt8, voxel);
        using var w = VolumeIO.Create(path, info, new Provenance("bench-synthetic-cell").Set("shapes", ShapeCount));
        int block = Environment.ProcessorCount * 2;
        var buffers = new byte[block][];
        for (int i = 0; i < block; i++) buffers[i] = new byte[(long)Nx * Ny];
        for (int z0 = 0; z0 < Nz; z0 += block)
        {
            int count = Math.Min(block, Nz - z0);
            Parallel.For(0, count, i => Slice(z0 + i, buffers[i]));
            for (int i = 0; i < count; i++) w.WriteSlice<byte>(buffers[i]);
        }
        w.Commit();
    }
}
