namespace SxtSeg;

/// <summary>
/// One progress report from a long-running library operation. The library never writes to the
/// console; it reports through <see cref="IProgress{T}"/> of this type and the caller draws.
/// </summary>
/// <param name="Stage">Short name of the current stage ("reading", "reconstructing", ...).</param>
/// <param name="Done">Units completed in this stage.</param>
/// <param name="Total">Units in this stage (0 when unknown).</param>
/// <param name="Unit">Name of the unit ("slices", "steps", ...).</param>
public readonly record struct ProgressUpdate(string Stage, long Done, long Total, string Unit = "items");
