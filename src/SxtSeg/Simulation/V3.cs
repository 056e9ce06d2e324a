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
