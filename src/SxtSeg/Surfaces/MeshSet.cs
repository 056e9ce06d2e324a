using SxtSeg.Volumes;

namespace SxtSeg.Surfaces;

/// <summary>The meshes of all objects of a label volume, in label order.</summary>
public sealed class MeshSet
{
    /// <summary>Creates a set.</summary>
    public MeshSet(IReadOnlyList<ObjectMesh> objects, VoxelSize voxelSize)
    {
        Objects = objects;
        VoxelSize = voxelSize;
    }

    /// <summary>One mesh per object, in label order (objects without triangles are omitted).</summary>
    public IReadOnlyList<ObjectMesh> Objects { get; }

    /// <summary>Voxel size (nm) the meshes were extracted at.</summary>
    public VoxelSize VoxelSize { get; }

    /// <summary>Sum of vertices over all objects.</summary>
    public long VertexCount
    {
        get
        {
            long n = 0;
            foreach (var o in Objects) n += o.VertexCount;
            return n;
        }
    }

    /// <summary>Sum of triangles over all objects.</summary>
    public long TriangleCount
    {
        get
        {
            long n = 0;
            foreach (var o in Objects) n += o.TriangleCount;
            return n;
        }
    }
}
