namespace SxtSeg.Simulation;

/// <summary>A capsule (segment A–B swept by a ball of radius R); a sphere when A = B. Used for collision tests.</summary>
public readonly record struct Capsule(V3 A, V3 B, double R)
{
    /// <summary>Bounding box.</summary>
    public Box3 Bounds => new(V3.Min(A, B) - new V3(R, R, R), V3.Max(A, B) + new V3(R, R, R));
}
