namespace SxtSeg.Surfaces;

/// <summary>Topological and geometric health of a triangle mesh.</summary>
/// <param name="Triangles">Triangle count.</param>
/// <param name="Edges">Distinct undirected edges.</param>
/// <param name="BoundaryEdges">Edges used by one triangle (holes): 0 for a closed surface.</param>
/// <param name="NonManifoldEdges">Edges used by more than two triangles.</param>
/// <param name="InconsistentEdges">Edges whose two triangles traverse them in the same direction (orientation flips).</param>
/// <param name="DegenerateTriangles">Triangles with a repeated vertex or zero area.</param>
/// <param name="EulerCharacteristic">V − E + F (2 per closed sphere-like component).</param>
public sealed record MeshReport(int Triangles, int Edges, int BoundaryEdges, int NonManifoldEdges, int InconsistentEdges, int DegenerateTriangles, long EulerCharacteristic)
{
    /// <summary>Every edge is shared by exactly two triangles with opposite orientations, and no triangle is degenerate.</summary>
    public bool IsWatertight => BoundaryEdges == 0 && NonManifoldEdges == 0 && InconsistentEdges == 0 && DegenerateTriangles == 0;
}
