namespace SxtSeg.Training;

/// <summary>One slice of a <see cref="SliceBank"/>: a source and a slice index.</summary>
/// <param name="Source">Index into <see cref="SliceBank.Sources"/>.</param>
/// <param name="Z">Slice.</param>
public readonly record struct SliceRef(int Source, int Z);
