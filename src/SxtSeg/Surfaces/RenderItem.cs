using SxtSeg.Imaging;

namespace SxtSeg.Surfaces;

/// <summary>One mesh to draw: positions (nm), triangles and a colour (or one colour per vertex).</summary>
/// <param name="Vertices">x, y, z per vertex in nm.</param>
/// <param name="Triangles">Vertex index triples.</param>
/// <param name="Color">Colour of the whole mesh.</param>
/// <param name="VertexColors">Optional r, g, b per vertex (overrides <paramref name="Color"/>).</param>
public sealed record RenderItem(float[] Vertices, int[] Triangles, Rgb Color, byte[]? VertexColors = null)
{
    /// <summary>An object mesh in its per-object colour.</summary>
    public static RenderItem FromMesh(ObjectMesh mesh, int seed) => new(mesh.Vertices, mesh.Triangles, MeshColors.ForObject(mesh.SourceId, seed));

    /// <summary>A mesh read from a file (its vertex colours when it has them, else <paramref name="fallback"/>).</summary>
    public static RenderItem FromLoaded(LoadedMesh mesh, Rgb fallback) => new(mesh.Vertices, mesh.Triangles, fallback, mesh.Colors);
}
