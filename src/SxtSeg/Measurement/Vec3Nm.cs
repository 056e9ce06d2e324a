namespace SxtSeg.Measurement;

/// <summary>A point or direction in nm (x, y, z).</summary>
/// <param name="X">x.</param>
/// <param name="Y">y.</param>
/// <param name="Z">z.</param>
public readonly record struct Vec3Nm(double X, double Y, double Z);
