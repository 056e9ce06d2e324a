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

    /// <summary>LAC, membranes (0/1), classes and instances of every row of the field of view.</summary>
    public static (Volume<float> Lac, Volume<byte> Membranes, Volume<byte> Classes, Volume<ushort> Instances) Rasterise(Phantom ph)
    {
        var (lac, mem, _, cls, inst) = RasteriseWithIgnore(ph);
        return (lac, mem, cls, inst);
    }

    /// <summary>As <see cref="Rasterise"/>, with the ignore mask (0/1) split from the renderer's label codes.</summary>
    public static (Volume<float> Lac, Volume<byte> Membranes, Volume<byte> Ignore, Volume<byte> Classes, Volume<ushort> Instances) RasteriseWithIgnore(Phantom ph)
    {
        int nx = ph.Nx, ny = ph.Ny, nz = ph.Nz;
        var lac = new Volume<float>(nx, ny, nz);
        var mem = new Volume<byte>(nx, ny, nz);
        var cls = new Volume<byte>(nx, ny, nz);
        var inst = new Volume<ushort>(nx, ny, nz);
        var ign = new Volume<byte>(nx, ny, nz);
        var renderer = new PhantomRenderer(ph);
        var row = new PhantomRow(ph);
        for (int y = 0; y < ny; y++)
        {
            renderer.RenderRow(y, row, true);
            for (int z = 0; z < nz; z++)
            {
                row.Lac.AsSpan(z * ph.Width + ph.MarginX, nx).CopyTo(lac.Row(z, y));
                foreach (int x in Enumerable.Range(0, nx))
                {
                    int c = row.Membranes[z * nx + x];
                    mem[z, y, x] = (byte)((c & (PhantomRenderer.VisibleMembrane | PhantomRenderer.HiddenMembrane)) != 0 ? 1 : 0);
                    ign[z, y, x] = (byte)(c != 0 && (c & PhantomRenderer.VisibleMembrane) == 0 ? 1 : 0);
                }
                row.Classes.AsSpan(z * nx, nx).CopyTo(cls.Row(z, y));
                row.Instances.AsSpan(z * nx, nx).CopyTo(inst.Row(z, y));
            }
        }
        return (lac, mem, ign, cls, inst);
    }

    public static long Count<T>(Volume<T> v, T value) where T : unmanaged, IEquatable<T>
    {
        long n = 0;
        foreach (var x in v.Data) if (x.Equals(value)) n++;
        return n;
    }
}
