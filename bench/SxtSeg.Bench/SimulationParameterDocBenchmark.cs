using SxtSeg.Simulation;

namespace SxtSeg.Bench;

/// <summary>Prints the parameter table (all profiles) as Markdown for docs/simulation.md.</summary>
public sealed class SimulationParameterDocBenchmark : IBenchmark
{
    public string Name => "sim-params-md";
    public string Description => "print the simulation parameters of every profile as a Markdown table";

    public int Run(string[] args)
    {
        var profiles = SimulationParameters.ProfileNames.Select(SimulationParameters.FromProfile).ToList();
        Console.WriteLine("| parameter | unit | " + string.Join(" | ", SimulationParameters.ProfileNames) + " | meaning |");
        Console.WriteLine("|---|---|" + string.Concat(profiles.Select(_ => "---|")) + "---|");
        foreach (var p in SimulationParameterTable.All)
        {
            if (p.Name == "profile") continue;
            var values = profiles.Select(pr => p.Get(pr)).ToList();
            Console.WriteLine($"| `{p.Name}` | {p.Unit} | {string.Join(" | ", values)} | {p.Description} |");
        }
        return 0;
    }
}
