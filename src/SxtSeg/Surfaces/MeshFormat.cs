namespace SxtSeg.Surfaces;

/// <summary>Mesh file formats.</summary>
public enum MeshFormat
{
    /// <summary>Stanford PLY, binary little-endian, with per-vertex RGB colour (MeshLab, ParaView, ChimeraX, Blender).</summary>
    Ply,
    /// <summary>Binary STL (3D printing, MIB, Biomedisa); triangle attribute holds a VisCAM-style 15-bit colour.</summary>
    Stl,
    /// <summary>Wavefront OBJ text with one named group per object and vertex colours (x y z r g b).</summary>
    Obj,
}
