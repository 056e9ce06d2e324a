namespace SxtSeg.Simulation;

/// <summary>An axis-aligned box in nm.</summary>
public readonly record struct Box3(V3 Min, V3 Max)
{
    /// <summary>The box grown by <paramref name="d"/> on every side.</summary>
    public Box3 Inflate(double d) => new(Min - new V3(d, d, d), Max + new V3(d, d, d));

    /// <summary>Smallest box holding both.</summary>
    public static Box3 Union(Box3 a, Box3 b) => new(V3.Min(a.Min, b.Min), V3.Max(a.Max, b.Max));

    /// <summary>True when the boxes overlap.</summary>
    public bool Intersects(Box3 o) => Min.X <= o.Max.X && o.Min.X <= Max.X && Min.Y <= o.Max.Y && o.Min.Y <= Max.Y && Min.Z <= o.Max.Z && o.Min.Z <= Max.Z;

    /// <summary>True when <paramref name="p"/> lies inside this box (or on its faces).</summary>
    public bool Contains(V3 p) => p.X >= Min.X && p.X <= Max.X && p.Y >= Min.Y && p.Y <= Max.Y && p.Z >= Min.Z && p.Z <= Max.Z;

    /// <summary>True when <paramref name="o"/> lies inside this box.</summary>
    public bool Contains(Box3 o) => o.Min.X >= Min.X && o.Max.X <= Max.X && o.Min.Y >= Min.Y && o.Max.Y <= Max.Y && o.Min.Z >= Min.Z && o.Max.Z <= Max.Z;

    /// <summary>Box around a sphere.</summary>
    public static Box3 Around(V3 c, double r) => new(c - new V3(r, r, r), c + new V3(r, r, r));
}
