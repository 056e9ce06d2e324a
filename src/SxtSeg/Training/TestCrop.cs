namespace SxtSeg.Training;

/// <summary>A fixed, non-augmented test crop.</summary>
/// <param name="Slice">Index into the test slice list (annotated or unannotated).</param>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
public readonly record struct TestCrop(int Slice, int X, int Y);
