namespace SxtSeg.Surfaces;

/// <summary>A render of a label stream's objects.</summary>
/// <param name="Width">Image width.</param>
/// <param name="Height">Image height.</param>
/// <param name="Rgb">RGB pixels, top row first.</param>
/// <param name="Objects">Objects drawn.</param>
/// <param name="LeftOut">Objects left out because they touch the volume's faces.</param>
/// <param name="Triangles">Triangles drawn.</param>
public sealed record ObjectRender(int Width, int Height, byte[] Rgb, int Objects, int LeftOut, long Triangles);
