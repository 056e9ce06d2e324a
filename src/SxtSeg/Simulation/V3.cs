using System.Runtime.CompilerServices;

namespace SxtSeg.Simulation;

/// <summary>A 3-vector of doubles (positions in nm unless stated otherwise).</summary>
public readonly record struct V3(double X, double Y, double Z)
{
    /// <summary>(0, 0, 0).</summary>
    public static V3 Zero => default;

    /// <summary>Unit x.</summary>
    public static V3 UnitX => new(1, 0, 0);

    /// <summary>Unit y.</summary>
    public static V3 UnitY => new(0, 1, 0);

    /// <summary>Unit z.</summary>
    public static V3 UnitZ => new(0, 0, 1);

    /// <summary>Sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator +(V3 a, V3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    /// <summary>Difference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator -(V3 a, V3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>Negation.</summary>
    public static V3 operator -(V3 a) => new(-a.X, -a.Y, -a.Z);

    /// <summary>Scaling.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V3 operator *(V3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    /// <summary>Scaling.</summary>
    public static V3 operator *(double s, V3 a) => new(a.X * s, a.Y * s, a.Z * s);

    /// <summary>Division by a scalar.</summary>
    public static V3 operator /(V3 a, double s) => new(a.X / s, a.Y / s, a.Z / s);

    /// <summary>Dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(V3 a, V3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    /// <summary>Cross product.</summary>
    public static V3 Cross(V3 a, V3 b) => new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    /// <summary>Length.</summary>
    public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);

    /// <summary>Squared length.</summary>
    public double LengthSquared => X * X + Y * Y + Z * Z;

    /// <summary>This vector scaled to unit length (unit x when zero).</summary>
    public V3 Normalized()
    {
        double l = Length;
        return l > 0 ? this / l : UnitX;
    }

    /// <summary>Component-wise minimum.</summary>
    public static V3 Min(V3 a, V3 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z));

    /// <summary>Component-wise maximum.</summary>
    public static V3 Max(V3 a, V3 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z));

    /// <summary>Any unit vector perpendicular to this (unit) vector.</summary>
    public V3 AnyPerpendicular()
    {
        var t = Math.Abs(X) < 0.9 ? UnitX : UnitY;
        return Cross(this, t).Normalized();
    }

    /// <summary>The components as an array (x, y, z).</summary>
    public double[] ToArray() => new[] { X, Y, Z };
}

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
