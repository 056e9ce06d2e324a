using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Simulation;

/// <summary>Rasterises phantoms without simulating the acquisition.</summary>
internal static class PhantomTestKit
{
    /// <summary>Parameters for a small empty slab at 10 nm.</summary>
    public static SimulationParameters Small(int nx = 64, int ny = 64, int nz = 64, double shell = 1.25) =>
        SimulationParameters.FromProfile("bessy-u41") with
        {
            Nx = nx, Ny = ny, Nz = nz, VoxelSizeNm = 10, Cells = 0, ShellHalfWidthVoxels = shell, IceThicknessNm = nz * 10 * 0.9,
            TextureStrength = 0,
        };

    /// <summary>LAC, membranes, classes and instances of every row of the field of view.</summary>
    public static (Volume<float> Lac, Volume<byte> Membranes, Volume<byte> Classes, Volume<ushort> Instances) Rasterise(Phantom ph)
    {
        int nx = ph.Nx, ny = ph.Ny, nz = ph.Nz;
        var lac = new Volume<float>(nx, ny, nz);
        var mem = new Volume<byte>(nx, ny, nz);
        var cls = new Volume<byte>(nx, ny, nz);
        var inst = new Volume<ushort>(nx, ny, nz);
        var renderer = new PhantomRenderer(ph);
        var row = new PhantomRow(ph);
        for (int y = 0; y < ny; y++)
        {
            renderer.RenderRow(y, row, true);
            for (int z = 0; z < nz; z++)
            {
                row.Lac.AsSpan(z * ph.Width + ph.MarginX, nx).CopyTo(lac.Row(z, y));
                row.Membranes.AsSpan(z * nx, nx).CopyTo(mem.Row(z, y));
                row.Classes.AsSpan(z * nx, nx).CopyTo(cls.Row(z, y));
                row.Instances.AsSpan(z * nx, nx).CopyTo(inst.Row(z, y));
            }
        }
        return (lac, mem, cls, inst);
    }

    public static long Count<T>(Volume<T> v, T value) where T : unmanaged, IEquatable<T>
    {
        long n = 0;
        foreach (var x in v.Data) if (x.Equals(value)) n++;
        return n;
    }
}
