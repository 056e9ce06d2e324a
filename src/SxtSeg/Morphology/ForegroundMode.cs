namespace SxtSeg.Morphology;

/// <summary>How the values of a label file become foreground.</summary>
public enum ForegroundMode
{
    /// <summary>
    /// A binary mask is expected: 0 is background and every voxel with the single other value
    /// (1, 255, any) is foreground. A second distinct non-zero value, or a non-integer value,
    /// is refused with a message saying how to proceed.
    /// </summary>
    Binary,
    /// <summary>Every non-zero voxel is foreground, whatever its value.</summary>
    NonZero,
    /// <summary>Voxels with a value strictly above <see cref="ForegroundRule.Value"/> are foreground (probability maps).</summary>
    Threshold,
    /// <summary>Voxels equal to <see cref="ForegroundRule.Value"/> are foreground (one material of a MIB model, one class of a class map).</summary>
    Select,
}
