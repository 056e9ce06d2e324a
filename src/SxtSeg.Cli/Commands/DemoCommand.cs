using System.CommandLine;
using Spectre.Console;
using SxtSeg.Inference;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Network;
using SxtSeg.Reporting;
using SxtSeg.Simulation;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg demo --out DIR</c>: the whole pipeline on a simulated tomogram (or --input), ending in report.html.</summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var output = new Option<string>("--out") { Description = "Output folder (report.html and one subfolder per stage)", Required = true };
        var input = new Option<string?>("--input") { Description = "Your tomogram instead of a simulated one (no evaluation then)" };
        var model = new Option<string?>("--model") { Description = "Model file, or the name of a shipped model (default: reads 7 slices; 2d: one slice; default: default)" };
        var profile = new Option<string>("--profile") { Description = "Instrument profile of the simulated tomogram", DefaultValueFactory = _ => "bessy-u41" };
        var size = new Option<string>("--size") { Description = "Size of the simulated tomogram, X×Y×Z voxels", DefaultValueFactory = _ => "320x320x80" };
        var seed = new Option<long>("--seed") { Description = "Seed of the simulation", DefaultValueFactory = _ => 7 };
        var workers = new Option<int>("--workers") { Description = "Parallel network workers", DefaultValueFactory = _ => SegmentationModel.DefaultWorkers }.Within(1, 64);
        var voxel = new Option<string?>("--voxel-size") { Description = $"Voxel size of --input in nm, if its file does not say [{VoxelSize.RangeText}]" };
        var filo = new Option<string>("--filopodium-model") { Description = "Find and measure filopodia (Table S1) with this filopodium model: auto (default: the shipped models/" + FilopodiumModel.DefaultModelFileName + " if present), none, or a model file", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("demo", "Run the whole pipeline (simulate → segment → surfaces → measurements → filopodia → evaluation) and write report.html")
        { output, input, model, profile, size, seed, workers, voxel, filo };
        var keys = new OptionKeys().Add(nameof(SimulationParameters.Profile), profile).Add(SimulationParameters.SizeKey, size)
            .Add(nameof(DemoOptions.VoxelSize), voxel).Add(nameof(DemoOptions.Model), model).Add(nameof(DemoOptions.FilopodiumModel), filo)
            .Add(SegmentationModel.WorkersKey, workers);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            string? prof = pr.GetValue(profile);
            if (!SimulationParameters.ProfileNames.Contains(prof)) throw new InvalidOptionException("--profile", $"unknown profile '{prof}' (use {string.Join(", ", SimulationParameters.ProfileNames)})");
            if (pr.GetValue(input) is { } inPath) InputPaths.RequireReadable(inPath, allowFolder: true);
            string modelPath = DefaultModel.Resolve(pr.GetValue(model));
            InputPaths.RequireReadable(modelPath);
            string filoChoice = pr.GetValue(filo)!;
            string? filoPath = ModelChoice.Resolve(filoChoice, "--filopodium-model", () => FilopodiumModel.FindDefaultModel());
            var options = new DemoOptions
            {
                OutputFolder = pr.GetValue(output)!,
                Input = pr.GetValue(input),
                Model = modelPath,
                Profile = prof!,
                Size = keys.Check(() => SimulationParameters.ParseSize(pr.GetValue(size)!)),
                Seed = pr.GetValue(seed),
                Workers = pr.GetValue(workers),
                VoxelSize = pr.GetValue(voxel) is { } v ? keys.Check(() => VoxelSize.Parse(v)) : null,
                FilopodiumModel = filoPath,
            };
            var result = keys.Check(() => CliProgress.Run(ctx, p => DemoPipeline.Run(options, p, line => ctx.Err.WriteLine(line))));
            ctx.Out.MarkupLineInterpolated($"report: [green]{result.Report}[/] ({result.Timings.Values.Sum():0} s)");
            return 0;
        }));
        return cmd;
    }
}
