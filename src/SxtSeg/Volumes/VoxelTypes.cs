namespace SxtSeg.Volumes;

/// <summary>Facts about <see cref="VoxelType"/> values.</summary>
public static class VoxelTypes
{
    /// <summary>Bytes per voxel.</summary>
    public static int Size(this VoxelType t) => t switch
    {
        VoxelType.UInt8 or VoxelType.Int8 => 1,
        VoxelType.Int16 or VoxelType.UInt16 or VoxelType.Float16 => 2,
        VoxelType.UInt32 or VoxelType.Float32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloat(this VoxelType t) => t is VoxelType.Float32 or VoxelType.Float16;

    /// <summary>Smallest representable value (for integer types) used when scaling conversions.</summary>
    public static double MinValue(this VoxelType t) => t switch
    {
        VoxelType.UInt8 => 0, VoxelType.Int8 => sbyte.MinValue, VoxelType.Int16 => short.MinValue,
        VoxelType.UInt16 => 0, VoxelType.UInt32 => 0, VoxelType.Float16 => (double)Half.MinValue,
        _ => float.MinValue,
    };

    /// <summary>Largest representable value (for integer types) used when scaling conversions.</summary>
    public static double MaxValue(this VoxelType t) => t switch
    {
        VoxelType.UInt8 => byte.MaxValue, VoxelType.Int8 => sbyte.MaxValue, VoxelType.Int16 => short.MaxValue,
        VoxelType.UInt16 => ushort.MaxValue, VoxelType.UInt32 => uint.MaxValue, VoxelType.Float16 => (double)Half.MaxValue,
        _ => float.MaxValue,
    };

    /// <summary>The voxel type matching a CLR element type.</summary>
    public static VoxelType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return VoxelType.UInt8;
        if (typeof(T) == typeof(sbyte)) return VoxelType.Int8;
        if (typeof(T) == typeof(short)) return VoxelType.Int16;
        if (typeof(T) == typeof(ushort)) return VoxelType.UInt16;
        if (typeof(T) == typeof(uint)) return VoxelType.UInt32;
        if (typeof(T) == typeof(float)) return VoxelType.Float32;
        if (typeof(T) == typeof(Half)) return VoxelType.Float16;
        throw new NotSupportedException($"voxel element type {typeof(T).Name} is not supported");
    }

    /// <summary>Parses "uint8", "int8", "int16", "uint16", "uint32", "float32", "float16" (and "u8", "f32", ...).</summary>
    public static VoxelType Parse(string s) => s.ToLowerInvariant() switch
    {
        "uint8" or "u8" or "byte" => VoxelType.UInt8,
        "int8" or "i8" or "sbyte" => VoxelType.Int8,
        "int16" or "i16" or "short" => VoxelType.Int16,
        "uint16" or "u16" or "ushort" => VoxelType.UInt16,
        "uint32" or "u32" => VoxelType.UInt32,
        "float32" or "f32" or "float" => VoxelType.Float32,
        "float16" or "f16" or "half" => VoxelType.Float16,
        _ => throw new InvalidOptionException(nameof(ConvertOptions.Type), $"unknown voxel type '{s}' (use uint8, int8, int16, uint16, uint32, float32 or float16)"),
    };

    /// <summary>Lower-case name as accepted by <see cref="Parse"/>.</summary>
    public static string Name(this VoxelType t) => t.ToString().ToLowerInvariant();
}
