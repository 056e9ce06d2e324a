namespace SxtSeg.Simulation;

/// <summary>One named, overridable simulation parameter.</summary>
/// <param name="Name">Kebab-case name used by <c>--set name=value</c> and in truth.json.</param>
/// <param name="Unit">Unit ("nm", "1/µm", "°", "" ...).</param>
/// <param name="Description">One line.</param>
/// <param name="Get">Formats the value (invariant culture).</param>
/// <param name="With">Returns a copy with the value parsed from text (throws <see cref="InvalidOptionException"/>).</param>
public sealed record SimulationParameter(string Name, string Unit, string Description,
    Func<SimulationParameters, string> Get, Func<SimulationParameters, string, SimulationParameters> With);
