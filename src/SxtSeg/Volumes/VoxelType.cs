namespace SxtSeg.Volumes;

/// <summary>Element type of a volume as stored in a file or in memory.</summary>
public enum VoxelType
{
    /// <summary>Unsigned 8-bit integer (MRC mode 0 with IMOD's unsigned flag; TIFF 8-bit).</summary>
    UInt8,
    /// <summary>Signed 8-bit integer (MRC mode 0, signed).</summary>
    Int8,
    /// <summary>Signed 16-bit integer (MRC mode 1).</summary>
    Int16,
    /// <summary>Unsigned 16-bit integer (MRC mode 6).</summary>
    UInt16,
    /// <summary>Unsigned 32-bit integer (TIFF only; instance maps).</summary>
    UInt32,
    /// <summary>32-bit IEEE float (MRC mode 2).</summary>
    Float32,
    /// <summary>16-bit IEEE float (MRC mode 12).</summary>
    Float16,
}
