namespace SxtSeg.Simulation;

/// <summary>
/// One 2D image of the realism test: a real slice or a simulated one, its in-cell mask, and the
/// group it belongs to (one real slice, or all slices of one simulated tomogram: held out together).
/// </summary>
/// <param name="Name">What the image is.</param>
/// <param name="Group">Images of one group are held out together.</param>
/// <param name="Pixels">Values (any scale), row-major nx × ny.</param>
/// <param name="Nx">Width.</param>
/// <param name="Ny">Height.</param>
/// <param name="Mask">1 inside the cell (where patches may come from), 0 elsewhere; null = everywhere.</param>
/// <param name="DenseIsLow">True when denser material is stored as lower values (the image is negated first).</param>
public sealed record RealismImage(string Name, string Group, float[] Pixels, int Nx, int Ny, byte[]? Mask, bool DenseIsLow = false);
