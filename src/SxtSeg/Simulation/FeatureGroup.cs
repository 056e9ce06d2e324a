namespace SxtSeg.Simulation;

/// <summary>The feature vectors of one held-out unit: one real slice, or all slices of one simulated tomogram.</summary>
/// <param name="Name">Name of the slice or tomogram.</param>
/// <param name="Samples">One feature vector per patch.</param>
public sealed record FeatureGroup(string Name, IReadOnlyList<double[]> Samples);
