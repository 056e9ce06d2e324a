namespace SxtSeg.Surfaces;

/// <summary>Length unit of mesh coordinates in a file.</summary>
public enum MeshUnits
{
    /// <summary>Nanometres (SxtSeg's unit; MeshLab, ParaView, Blender take coordinates as they are).</summary>
    Nanometre,
    /// <summary>Ångström (ChimeraX and IMOD place maps in Å: a mesh in Å sits on its tomogram there).</summary>
    Angstrom,
}
