namespace SxtSeg.Training;

/// <summary>An annotated volume: a tomogram, its label volume and the slices whose labels are valid.</summary>
/// <param name="Image">Tomogram path.</param>
/// <param name="Labels">Label volume path (same size; binary: 0 = background, one non-zero value = membrane).</param>
/// <param name="Slices">Annotated slice indices (z, from 0).</param>
public sealed record AnnotatedVolume(string Image, string Labels, IReadOnlyList<int> Slices);
