using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using SxtSeg.Simulation;

namespace SxtSeg.Cli.Commands;

/// <summary>
/// <c>sxtseg simulate OUT [--profile P] [--size XxYxZ] ...</c>: a realistic cryo-SXT tomogram with exact
/// membrane, class and instance labels and a truth.json, written as one folder.
/// </summary>
public static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var output = new Argument<string?>("output") { Description = "Output folder (created; files of the same name are replaced)", Arity = ArgumentArity.ZeroOrOne }.RefusingUnknownOptions();
        var profile = new Option<string>("--profile") { Description = $"Instrument profile: {string.Join(", ", SimulationParameters.ProfileNames)}", DefaultValueFactory = _ => SimulationParameters.DefaultProfile };
        var size = new Option<string?>("--size") { Description = "Volume size in voxels X×Y×Z, e.g. 512x512x256 (default: the profile's)" };
        var voxel = new Option<string?>("--voxel-size") { Description = "Voxel size in nm (default: the profile's)" };
        var seed = new Option<long>("--seed") { Description = "Random seed (same seed, same files)", DefaultValueFactory = _ => 1 };
        var tilt = new Option<string?>("--tilt") { Description = "Tilt range and step in degrees MIN:MAX:STEP, e.g. --tilt=-60:60:1 (default: the profile's)" };
        var recon = new Option<string?>("--recon") { Description = "Reconstruction: wbp (weighted = filtered back-projection) or sirt (default wbp)" };
        var filter = new Option<string?>("--filter") { Description = "WBP filter: ramp, hamming, hann, shepp-logan, cosine (default: the profile's)" };
        var iterations = new Option<int?>("--iterations") { Description = "SIRT iterations (default 20; with --recon sirt) [1..1000]" };
        var photons = new Option<double?>("--photons") { Description = "Incident photons per pixel per projection; 0 = noise-free (default: the profile's)" }.Finite();
        var zone = new Option<double?>("--zone-width") { Description = "Outermost zone width of the zone plate in nm (default: the profile's)" }.Finite();
        var shell = new Option<double?>("--shell") { Description = "Membrane label half-width in voxels (default 1.25: labels 2–3 voxels thick; in (0, 5])" }.Finite();
        var cells = new Option<int?>("--cells") { Description = "Number of cells (default 1) [0..16]" };
        var tiltSeries = new Option<bool>("--tilt-series") { Description = "Also write the tilt series (tiltseries.mrc and tiltseries.tlt)" };
        var clean = new Option<bool>("--clean") { Description = "Also write clean.mrc: the same tomogram without photon, read or flicker noise (the denoising target of sxtseg train --clean-target)" };
        var set = new Option<string[]>("--set") { Description = "Override any parameter: --set name=value (repeatable; see --list-parameters)", AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };
        var list = new Option<bool>("--list-parameters") { Description = "List every parameter with the profile's value, and exit" };
        var cmd = new Command("simulate", "Simulate a cryo-SXT tomogram of adherent (or suspended) cells with exact membrane labels and ground truth")
        {
            output, profile, size, voxel, seed, tilt, recon, filter, iterations, photons, zone, shell, cells, tiltSeries, clean, set, list,
        };
        var keys = new OptionKeys().Add(nameof(SimulationParameters.Profile), profile).Add(SimulationParameters.SizeKey, size)
            .Add(nameof(SimulationParameters.VoxelSizeNm), voxel).Add(SimulationParameters.TiltKey, tilt).Add(nameof(SimulationParameters.Reconstruction), recon)
            .Add(nameof(SimulationParameters.Filter), filter).Add(nameof(SimulationParameters.SirtIterations), iterations)
            .Add(nameof(SimulationParameters.ShellHalfWidthVoxels), shell).Add(SimulationParameterTable.SetKey, set);
        cmd.SetAction(pr => CliApp.Guard(ctx, () =>
        {
            var p = keys.Check(() => SimulationParameters.FromProfile(pr.GetValue(profile)!));
            if (pr.GetValue(size) is { } s)
            {
                var (x, y, z) = keys.Check(() => SimulationParameters.ParseSize(s));
                p = p with { Nx = x, Ny = y, Nz = z };
            }
            if (pr.GetValue(voxel) is { } v)
            {
                if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double nm))
                    throw new InvalidOptionException("--voxel-size", $"'{v}' is not a number of nm");
                p = p with { VoxelSizeNm = nm };
            }
            p = p with { Seed = pr.GetValue(seed) };
            if (pr.GetValue(tilt) is { } t) p = ParseTilt(p, t);
            if (pr.GetValue(recon) is { } r)
            {
                // Only the names the help lists: an alias accepted without a word hides what was run.
                if (r.Trim().ToLowerInvariant() is not ("wbp" or "sirt"))
                    throw new InvalidOptionException("--recon", $"unknown reconstruction '{r}' (use wbp or sirt; wbp is the filtered back-projection)");
                p = p with { Reconstruction = keys.Check(() => SimulationParameterTable.ParseMethod(r)) };
            }
            if (pr.GetValue(filter) is { } f) p = p with { Filter = keys.Check(() => SimulationParameterTable.ParseFilter(f)) };
            if (pr.GetValue(iterations) is { } it) p = p with { SirtIterations = it };
            if (pr.GetValue(photons) is { } ph) p = p with { Photons = ph };
            if (pr.GetValue(zone) is { } zw) p = p with { ZoneWidthNm = zw };
            if (pr.GetValue(shell) is { } sh) p = p with { ShellHalfWidthVoxels = sh };
            if (pr.GetValue(cells) is { } c) p = p with { Cells = c };
            foreach (var a in pr.GetValue(set) ?? Array.Empty<string>()) p = keys.Check(() => SimulationParameterTable.Set(p, a));
            if (pr.GetValue(iterations) is not null && p.Reconstruction != ReconstructionMethod.Sirt)
                throw new InvalidOptionException("--iterations", "applies only to --recon sirt");
            if (pr.GetValue(filter) is not null && p.Reconstruction == ReconstructionMethod.Sirt)
                throw new InvalidOptionException("--filter", "applies only to --recon wbp");
            bool keepTilt = pr.GetValue(tiltSeries);
            if (keepTilt) p = p with { KeepTiltSeries = true };
            if (pr.GetValue(clean)) p = p with { CleanTwin = true };

            if (pr.GetValue(list))
            {
                var table = new Table().AddColumns("parameter", "value", "unit", "meaning");
                foreach (var param in SimulationParameterTable.All)
                    table.AddRow(Markup.Escape(param.Name), Markup.Escape(param.Get(p)), Markup.Escape(param.Unit), Markup.Escape(param.Description));
                ctx.Out.Write(table);
                return 0;
            }
            string outPath = pr.GetValue(output) ?? throw new InvalidOptionException("output", "give the output folder, e.g. sxtseg simulate sim1");
            keys.Check(p.Validate);
            // Claim the output first, so an unwritable destination fails before minutes of work.
            using var folder = OutputFolder.Create(outPath);
            var prov = new Provenance("simulate");
            var sw = Stopwatch.StartNew();
            // Slabs are written to disk as they are reconstructed: memory stays flat whatever the size.
            var result = keys.Check(() => CliProgress.Run(ctx, progress => Simulator.SimulateToFolder(p, folder, prov, progress, ctx.Cancellation)));
            folder.Commit();
            ctx.Out.MarkupLineInterpolated($"wrote [green]{folder.Path}[/]: {p.Nx}×{p.Ny}×{p.Nz} at {p.VoxelSizeNm.ToString("0.###", CultureInfo.InvariantCulture)} nm ({p.Profile}, seed {p.Seed}), {result.Objects.Count} objects, {result.Acquisition.Nominal.Length} projections, {sw.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Parses MIN:MAX:STEP (also MIN,MAX,STEP or MIN:MAX with the profile's step).</summary>
    public static SimulationParameters ParseTilt(SimulationParameters p, string text)
    {
        var parts = text.Split(new[] { ':', ',' }, StringSplitOptions.TrimEntries);
        var v = new double[parts.Length];
        if (parts.Length is < 2 or > 3)
            throw new InvalidOptionException("--tilt", $"'{text}' is not MIN:MAX:STEP in degrees, e.g. --tilt=-60:60:1");
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i]))
                throw new InvalidOptionException("--tilt", $"'{text}' is not MIN:MAX:STEP in degrees, e.g. --tilt=-60:60:1");
        return p with { TiltMinDeg = v[0], TiltMaxDeg = v[1], TiltStepDeg = parts.Length == 3 ? v[2] : p.TiltStepDeg };
    }
}
