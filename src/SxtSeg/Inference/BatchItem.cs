namespace SxtSeg.Inference;

/// <summary>One tomogram of a batch: where it is, the name of its output folder, and why it cannot be read (if so).</summary>
/// <param name="Input">The tomogram: MRC file, TIFF stack or folder of TIFF slices (as given or found).</param>
/// <param name="Name">Name of its output folder inside the batch's output folder (unique in the batch).</param>
/// <param name="Problem">Why the argument gave no tomogram (a pattern matching nothing, a missing path), else null.</param>
public sealed record BatchItem(string Input, string Name, string? Problem = null);
