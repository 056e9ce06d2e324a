using SxtSeg.Volumes;

namespace SxtSeg.Tests.Measurement;

/// <summary>Voxelised analytic shapes (a voxel is inside when its centre is) with their exact measures.</summary>
internal static class AnalyticShapes
{
    /// <summary>A rotation taking the x, y, z axes to the columns of the returned matrix (from Euler angles in degrees, z-y-x).</summary>
    public static double[,] Rotation(double yawDeg, double pitchDeg, double rollDeg)
    {
        double a = yawDeg * Math.PI / 180, b = pitchDeg * Math.PI / 180, c = rollDeg * Math.PI / 180;
        double ca = Math.Cos(a), sa = Math.Sin(a), cb = Math.Cos(b), sb = Math.Sin(b), cc = Math.Cos(c), sc = Math.Sin(c);
        return new double[3, 3]
        {
            { ca * cb, ca * sb * sc - sa * cc, ca * sb * cc + sa * sc },
            { sa * cb, sa * sb * sc + ca * cc, sa * sb * cc - ca * sc },
            { -sb, cb * sc, cb * cc },
        };
    }

    /// <summary>Voxelises an implicit shape given in its own frame (inside(u, v, w) in nm) rotated by R and centred in the volume.</summary>
    public static Volume<byte> Voxelise(VoxelSize vs, double extentNm, double[,] r, Func<double, double, double, bool> inside, (double X, double Y, double Z) offsetVoxels = default)
    {
        int nx = (int)Math.Ceiling(extentNm / vs.X) + 6, ny = (int)Math.Ceiling(extentNm / vs.Y) + 6, nz = (int)Math.Ceiling(extentNm / vs.Z) + 6;
        var v = new Volume<byte>(nx, ny, nz, vs);
        double cx = (nx - 1) / 2.0 + offsetVoxels.X, cy = (ny - 1) / 2.0 + offsetVoxels.Y, cz = (nz - 1) / 2.0 + offsetVoxels.Z;
        Parallel.For(0, nz, z =>
        {
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    double px = (x - cx) * vs.X, py = (y - cy) * vs.Y, pz = (z - cz) * vs.Z;
                    // Shape frame coordinates: Rᵀ p.
                    double u = r[0, 0] * px + r[1, 0] * py + r[2, 0] * pz;
                    double w = r[0, 1] * px + r[1, 1] * py + r[2, 1] * pz;
                    double t = r[0, 2] * px + r[1, 2] * py + r[2, 2] * pz;
                    if (inside(u, w, t)) v[z, y, x] = 1;
                }
        });
        return v;
    }

    public static Volume<byte> Ellipsoid(double a, double b, double c, VoxelSize vs, double[,] r, (double, double, double) offset = default)
        => Voxelise(vs, 2 * Math.Max(a, Math.Max(b, c)), r, (u, w, t) => u * u / (a * a) + w * w / (b * b) + t * t / (c * c) <= 1, offset);

    /// <summary>A solid cylinder of radius r and length l along the shape's u axis (flat ends).</summary>
    public static Volume<byte> Cylinder(double radius, double length, VoxelSize vs, double[,] r, (double, double, double) offset = default)
        => Voxelise(vs, Math.Sqrt(length * length + 4 * radius * radius), r, (u, w, t) => Math.Abs(u) <= length / 2 && w * w + t * t <= radius * radius, offset);

    public static double EllipsoidVolume(double a, double b, double c) => 4.0 / 3 * Math.PI * a * b * c;

    /// <summary>Surface area of an ellipsoid by numerical integration (relative error below 1e-6).</summary>
    public static double EllipsoidArea(double a, double b, double c)
    {
        int nt = 600, np = 1200;
        double sum = 0;
        for (int i = 0; i < nt; i++)
        {
            double th = (i + 0.5) * Math.PI / nt, st = Math.Sin(th), ct = Math.Cos(th);
            for (int j = 0; j < np; j++)
            {
                double ph = (j + 0.5) * 2 * Math.PI / np, sp = Math.Sin(ph), cp = Math.Cos(ph);
                // r_th × r_ph for r = (a st cp, b st sp, c ct)
                double x = b * c * st * st * cp, y = a * c * st * st * sp, z = a * b * st * ct;
                sum += Math.Sqrt(x * x + y * y + z * z);
            }
        }
        return sum * (Math.PI / nt) * (2 * Math.PI / np);
    }

    public static double CylinderVolume(double r, double l) => Math.PI * r * r * l;

    public static double CylinderArea(double r, double l) => 2 * Math.PI * r * l + 2 * Math.PI * r * r;
}
