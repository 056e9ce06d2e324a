namespace SxtSeg.Morphology;

/// <summary>An object's bounding box in voxel indices (inclusive).</summary>
/// <param name="X0">First x.</param>
/// <param name="Y0">First y.</param>
/// <param name="Z0">First z.</param>
/// <param name="X1">Last x.</param>
/// <param name="Y1">Last y.</param>
/// <param name="Z1">Last z.</param>
public readonly record struct VoxelBox(int X0, int Y0, int Z0, int X1, int Y1, int Z1)
{
    /// <summary>Width along x in voxels.</summary>
    public int Width => X1 - X0 + 1;

    /// <summary>Height along y in voxels.</summary>
    public int Height => Y1 - Y0 + 1;

    /// <summary>Depth along z in voxels.</summary>
    public int Depth => Z1 - Z0 + 1;

    /// <summary>True when the box touches a face of a volume of the given shape.</summary>
    public bool TouchesBorder(int nx, int ny, int nz) => X0 == 0 || Y0 == 0 || Z0 == 0 || X1 == nx - 1 || Y1 == ny - 1 || Z1 == nz - 1;

    /// <summary>The smallest box holding both.</summary>
    public VoxelBox Union(VoxelBox b) => new(Math.Min(X0, b.X0), Math.Min(Y0, b.Y0), Math.Min(Z0, b.Z0), Math.Max(X1, b.X1), Math.Max(Y1, b.Y1), Math.Max(Z1, b.Z1));
}
