namespace SxtSeg.Surfaces;

/// <summary>What a mesh run wrote.</summary>
/// <param name="Meshes">The surfaces (smoothed and decimated as asked).</param>
/// <param name="Files">Names of the combined file or its parts, inside the folder.</param>
public sealed record MeshRunResult(MeshSet Meshes, IReadOnlyList<string> Files);
