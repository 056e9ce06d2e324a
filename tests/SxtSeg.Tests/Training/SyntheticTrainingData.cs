using SxtSeg.Volumes;

namespace SxtSeg.Tests.Training;

/// <summary>Tiny synthetic training inputs: spherical shells ("membranes") in noise, with exact labels.</summary>
internal static class SyntheticTrainingData
{
    /// <summary>Image and binary label volumes of nx × ny × nz with two shells.</summary>
    public static (Volume<float> Image, Volume<byte> Labels) Shells(int nx, int ny, int nz, int seed, byte membraneValue = 1)
    {
        var rng = new Random(seed);
        var image = new Volume<float>(nx, ny, nz, VoxelSize.Isotropic(10));
        var labels = new Volume<byte>(nx, ny, nz, VoxelSize.Isotropic(10));
        var spheres = new[]
        {
            (X: nx * 0.35, Y: ny * 0.4, Z: nz * 0.5, R: Math.Min(nx, ny) * 0.22),
            (X: nx * 0.68, Y: ny * 0.62, Z: nz * 0.45, R: Math.Min(nx, ny) * 0.18),
        };
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    bool membrane = false;
                    foreach (var s in spheres)
                    {
                        double d = Math.Sqrt((x - s.X) * (x - s.X) + (y - s.Y) * (y - s.Y) + (z - s.Z) * (z - s.Z) * 9);
                        if (Math.Abs(d - s.R) < 1.2) membrane = true;
                    }
                    image[z, y, x] = (float)(100 + (membrane ? 40 : 0) + 0.1 * x + 8 * (rng.NextDouble() - 0.5));
                    labels[z, y, x] = membrane ? membraneValue : (byte)0;
                }
        return (image, labels);
    }

    /// <summary>Writes a simulator-style folder (tomogram.mrc float32 + membranes.mrc uint8).</summary>
    public static string WriteSimulation(string folder, int nx = 48, int ny = 48, int nz = 10, int seed = 1)
    {
        Directory.CreateDirectory(folder);
        var (image, labels) = Shells(nx, ny, nz, seed);
        VolumeIO.Write(Path.Combine(folder, "tomogram.mrc"), image);
        VolumeIO.Write(Path.Combine(folder, "membranes.mrc"), labels);
        return folder;
    }

    /// <summary>Writes name.tif + name.labels.tif (one slice each, labels 0/255) and returns the image path.</summary>
    public static string WritePair(string folder, string name, int size = 48, int seed = 1, int slice = 4)
    {
        Directory.CreateDirectory(folder);
        var (image, labels) = Shells(size, size, 10, seed, 255);
        string path = Path.Combine(folder, name + ".tif");
        VolumeIO.Write(path, image.SubVolume(slice, 1));
        VolumeIO.Write(Path.Combine(folder, name + ".labels.tif"), labels.SubVolume(slice, 1));
        return path;
    }
}
