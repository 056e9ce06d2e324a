using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>The voxels of one filopodium: a box in the volume's voxel indices and a 0/1 mask over it (z, y, x order).</summary>
/// <param name="Box">Inclusive box (voxel indices of the whole volume).</param>
/// <param name="Data">Box.Width × Box.Height × Box.Depth bytes, 1 = filopodium.</param>
public sealed record FilopodiumMask(VoxelBox Box, byte[] Data)
{
    /// <summary>True when voxel (x, y, z) of the volume belongs to the filopodium.</summary>
    public bool Contains(int x, int y, int z)
    {
        if (x < Box.X0 || x > Box.X1 || y < Box.Y0 || y > Box.Y1 || z < Box.Z0 || z > Box.Z1) return false;
        return Data[((z - Box.Z0) * Box.Height + (y - Box.Y0)) * Box.Width + (x - Box.X0)] != 0;
    }

    /// <summary>The mask as a volume placed at its box (origin in nm from the volume's origin and voxel size).</summary>
    public Volume<byte> ToVolume(VoxelSize voxel, (double X, double Y, double Z) volumeOrigin)
        => new(Box.Width, Box.Height, Box.Depth, (byte[])Data.Clone(), voxel)
        {
            OriginNm = (volumeOrigin.X + Box.X0 * voxel.X, volumeOrigin.Y + Box.Y0 * voxel.Y, volumeOrigin.Z + Box.Z0 * voxel.Z),
        };
}
