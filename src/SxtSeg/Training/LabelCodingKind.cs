namespace SxtSeg.Training;

/// <summary>How the values of a label file map to membrane, background and "not annotated".</summary>
public enum LabelCodingKind
{
    /// <summary>0 = background, any other value = membrane, on the listed slices (SxtSeg's own labels, a binary mask from Fiji).</summary>
    Binary,
    /// <summary>0 = not annotated (ignored), 1 = background, 2 = membrane: a napari labels layer or a Fiji/MIB painting from scratch.</summary>
    Painted,
    /// <summary>0 = background, 1 = membrane, 2 = ignore: MemBrain-seg's training convention.</summary>
    MemBrain,
    /// <summary>An explicit value → class map (<see cref="LabelCoding.Parse"/>).</summary>
    Map,
    /// <summary>
    /// Not given: read as <see cref="Binary"/> when every slice holds 0 and at most one other value;
    /// a slice with two different non-zero values (0/1/2 mean different things in painted and
    /// membrain files) is refused with an error that names both codings.
    /// </summary>
    Auto,
}
