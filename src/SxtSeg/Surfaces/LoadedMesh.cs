namespace SxtSeg.Surfaces;

/// <summary>A mesh read back from a file: positions, triangles and a colour per vertex.</summary>
/// <param name="Vertices">x, y, z per vertex.</param>
/// <param name="Triangles">Vertex index triples.</param>
/// <param name="Colors">r, g, b per vertex (null when the file has none).</param>
public sealed record LoadedMesh(float[] Vertices, int[] Triangles, byte[]? Colors);
