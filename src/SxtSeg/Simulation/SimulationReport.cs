namespace SxtSeg.Simulation;

/// <summary>What <see cref="Simulator.SimulateToFolder"/> returns: everything but the volumes, which are on disk.</summary>
/// <param name="Parameters">The parameters simulated.</param>
/// <param name="Phantom">The analytic specimen.</param>
/// <param name="Acquisition">Angles, shifts, PSF.</param>
/// <param name="Objects">Truth of every object in the field of view.</param>
/// <param name="PreviewSlice">Slice shown in preview.png.</param>
/// <param name="Timings">Wall-clock seconds per stage (not written into outputs).</param>
public sealed record SimulationReport(SimulationParameters Parameters, Phantom Phantom, Acquisition Acquisition,
    IReadOnlyList<TruthObject> Objects, int PreviewSlice, IReadOnlyDictionary<string, double> Timings);
