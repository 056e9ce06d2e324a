using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SxtSeg.Measurement;
using SxtSeg.Measurement.Filopodia;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Cli.Commands;

/// <summary><c>sxtseg filopodia LABELS --out DIR</c>: find the filopodia in membrane labels, separate them from the cell at their base, and measure them (Table S1).</summary>
public static class FilopodiaCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext ctx)
    {
        var d = new FilopodiaOptions(); // the library's defaults, shown in --help
        var input = new Argument<string>("labels") { Description = "Membrane labels (MRC, TIFF, folder of TIFFs): a binary mask of all membranes, plasma membrane included (e.g. from `sxtseg segment`)" }.RefusingUnknownOptions();
        var output = new Option<string>("--out") { Description = "Output folder: filopodia.csv, slices.csv, summary.md/.csv (Table S1), filopodia.json, dotplot.png, filopodia.png", Required = true };
        var voxelSize = new Option<string?>("--voxel-size") { Description = "Voxel size in nm (10 or 10,10,12), overriding the file's" };
        var select = new Option<double?>("--select") { Description = "Only voxels equal to this value are membrane (one class of a class map)" };
        var nonZero = new Option<bool>("--nonzero") { Description = "Every non-zero voxel is membrane" };
        var threshold = new Option<double?>("--above") { Description = "Voxels above this value are membrane (probability maps; formerly --threshold, which still works)", HelpName = "value" }.Finite().OldNames("--threshold");
        var tomogram = new Option<string?>("--tomogram") { Description = "The tomogram (same size): its gold beads mark filopodia to leave out of the summary, and the body model (--body-model) finds the cell body in it" };
        var cellMask = new Option<string?>("--cell-mask") { Description = "A binary mask of the cells (same size, rough is fine): its inside is never taken for the outside, so holes in the membrane labels cannot flood a cell" };
        var cellMaskMargin = new Option<double>("--cell-mask-margin") { Description = "How far (nm) the cell mask may overreach the cells: only its inside eroded by this much is never outside (0: the whole mask)", DefaultValueFactory = _ => d.CellMaskMarginNm };
        var bodyModel = new Option<string>("--body-model") { Description = "Cell body from the tomogram by a body model (binned slices labelled inside/outside the cell), used as the cell mask: auto (models/sxtseg-body.sxtmodel when that file exists, --tomogram is given and no --cell-mask; none is shipped today, docs/filopodia.md), none, or a model file", DefaultValueFactory = _ => "auto" };
        var bodyPixel = new Option<double>("--body-pixel") { Description = "Pixel size (nm) the tomogram's slices are binned to for the body model", DefaultValueFactory = _ => CellBody.DefaultPixelNm };
        var maxDiameter = new Option<double>("--max-diameter") { Description = "Widest filopodium in nm; the cell body is what a ball this wide reaches", DefaultValueFactory = _ => d.MaxDiameterNm };
        var minDiameter = new Option<double>("--min-diameter") { Description = "Thinnest filopodium in nm", DefaultValueFactory = _ => d.MinDiameterNm };
        var minLength = new Option<double>("--min-length") { Description = "Shortest filopodium in nm, base to tip", DefaultValueFactory = _ => d.MinLengthNm };
        var close = new Option<int>("--close") { Description = "Closing steps on the membrane labels before the cell is filled (bridges gaps of about 2·N voxels)", DefaultValueFactory = _ => d.CloseSteps };
        var fill = new Option<string>("--fill") { Description = "How the cells are filled: auto (3D, or slice by slice when the labels are open at the top and bottom, as a network's are), volume (3D), slices (2D per x–y slice)", DefaultValueFactory = _ => d.Fill.ToString().ToLowerInvariant() };
        fill.AcceptOnlyFromAmong("auto", "volume", "slices");
        var zMajority = new Option<int>("--z-majority") { Description = "Slice-by-slice filling: a voxel is inside when most of the ±N slices around it are", DefaultValueFactory = _ => d.ZMajority };
        var includeCut = new Option<bool>("--include-cut") { Description = "Keep filopodia cut by the field of view in the summary (left out by default, as in the paper)" };
        var beadThreshold = new Option<double?>("--bead-threshold") { Description = "Tomogram value above which a voxel is gold (default: 2.5 × the 99.9th percentile)" };
        var beadDistance = new Option<double>("--bead-distance") { Description = "Filopodia closer than this to a gold bead (nm) are left out of the summary", DefaultValueFactory = _ => d.BeadDistanceNm };
        var smooth = new Option<int>("--smooth") { Description = "Taubin iterations on each surface before its area is measured", DefaultValueFactory = _ => d.SurfaceSmoothing };
        var labels = new Option<bool>("--labels") { Description = "Also write filopodia.mrc, an instance map of the filopodia (as large as the input)" };
        var noRender = new Option<bool>("--no-render") { Description = "Do not write the render and the dot plot" };
        var truth = new Option<string?>("--truth") { Description = "A simulation folder (truth.json and instances.mrc): score detection and measurements against its filopodia" };
        var filoMask = new Option<string?>("--filopodium-mask") { Description = "Filopodia as a mask (1 = filopodium, solid; labels.mrc of `sxtseg segment --model` with a filopodium model): each object is a filopodium candidate, the membrane labels tell its base from its tip; no cell is filled" };
        var filoModel = new Option<string>("--filopodium-model") { Description = "Filopodia found in the tomogram (--tomogram) by a filopodium model (segmented into filopodium-segmentation/ of --out), the membrane labels telling base from tip: auto (default: the shipped models/" + FilopodiumModel.DefaultModelFileName + " when --tomogram is given without --cell-mask, --body-model or --filopodium-mask and the labels are a network's, open at the top and bottom; closed labels are filled), none, or a model file", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("filopodia", "Find filopodia in membrane labels, cut them from the cell at their base and measure them (Table S1: 2D and 3D, length)");
        cmd.Arguments.Add(input);
        foreach (var o in new Option[] { output, voxelSize, select, nonZero, threshold, tomogram, cellMask, cellMaskMargin, bodyModel, bodyPixel, maxDiameter, minDiameter, minLength, close, fill, zMajority, includeCut, beadThreshold, beadDistance, smooth, labels, noRender, truth, filoMask, filoModel })
            cmd.Options.Add(o);
        var keys = new OptionKeys().Add(nameof(FilopodiaOptions.MaxDiameterNm), maxDiameter).Add(nameof(FilopodiaOptions.MinDiameterNm), minDiameter).Add(nameof(FilopodiaOptions.MinLengthNm), minLength)
            .Add(nameof(FilopodiaOptions.CloseSteps), close).Add(nameof(FilopodiaOptions.BeadDistanceNm), beadDistance).Add(nameof(FilopodiaOptions.BeadThreshold), beadThreshold).Add(nameof(FilopodiaOptions.Fill), fill)
            .Add(nameof(FilopodiaOptions.CellMaskMarginNm), cellMaskMargin)
            .Add(nameof(FilopodiaOptions.ZMajority), zMajority).Add(nameof(FilopodiaOptions.SurfaceSmoothing), smooth).Add(nameof(FilopodiaRunRequest.VoxelSize), voxelSize)
            .Add(nameof(FilopodiaRunRequest.TruthFolder), truth).Add(nameof(FilopodiaRunRequest.FilopodiumModelPath), filoModel).Add(nameof(FilopodiaRunRequest.FilopodiumMaskPath), filoMask)
            .Add(nameof(FilopodiaRunRequest.BodyModelPath), bodyModel).Add(nameof(CellBodyOptions.PixelNm), bodyPixel);
        cmd.SetAction(pr => CliApp.Guard(ctx, () => keys.Check(() =>
        {
            string path = pr.GetValue(input)!;
            string outDir = pr.GetValue(output)!;
            var options = new FilopodiaOptions
            {
                MaxDiameterNm = pr.GetValue(maxDiameter),
                MinDiameterNm = pr.GetValue(minDiameter),
                MinLengthNm = pr.GetValue(minLength),
                CloseSteps = pr.GetValue(close),
                ExcludeCutByFieldOfView = !pr.GetValue(includeCut),
                BeadThreshold = pr.GetValue(beadThreshold),
                BeadDistanceNm = pr.GetValue(beadDistance),
                SurfaceSmoothing = pr.GetValue(smooth),
                Fill = Enum.Parse<FillMode>(pr.GetValue(fill)!, ignoreCase: true),
                ZMajority = pr.GetValue(zMajority),
                CellMaskMarginNm = pr.GetValue(cellMaskMargin),
            };
            options.Validate();
            int modes = (pr.GetValue(select) is null ? 0 : 1) + (pr.GetValue(nonZero) ? 1 : 0) + (pr.GetValue(threshold) is null ? 0 : 1);
            if (modes > 1) throw new InvalidOptionException("--select/--nonzero/--above", "choose at most one way to read the labels");
            var rule = pr.GetValue(select) is { } sv ? ForegroundRule.Equal(sv)
                : pr.GetValue(nonZero) ? ForegroundRule.NonZero
                : pr.GetValue(threshold) is { } tv ? ForegroundRule.Above(tv)
                : ForegroundRule.Binary;
            bool pictures = !pr.GetValue(noRender);
            string bodyChoice = pr.GetValue(bodyModel)!;
            string filoChoice = pr.GetValue(filoModel)!;
            bool modelAllowed = pr.GetValue(tomogram) is not null && pr.GetValue(cellMask) is null && pr.GetValue(filoMask) is null;
            string? bodyPath = ModelChoice.Resolve(bodyChoice, "--body-model", () => modelAllowed && filoChoice is "auto" or "none" ? CellBody.FindDefaultModel() : null);
            string? filoPath = ModelChoice.Resolve(filoChoice, "--filopodium-model", () => modelAllowed && bodyChoice is "auto" or "none" ? FilopodiumModel.FindDefaultModel() : null);
            if (filoPath is not null && filoChoice == "auto") bodyPath = null;
            var request = new FilopodiaRunRequest
            {
                LabelsPath = path,
                LabelRule = rule,
                VoxelSize = pr.GetValue(voxelSize) is { } vtext ? VoxelSize.Parse(vtext) : null,
                TomogramPath = pr.GetValue(tomogram),
                CellMaskPath = pr.GetValue(cellMask),
                BodyModelPath = bodyPath,
                BodyOptions = new CellBodyOptions { PixelNm = pr.GetValue(bodyPixel) },
                TruthFolder = pr.GetValue(truth),
                FilopodiumMaskPath = pr.GetValue(filoMask),
                FilopodiumModelPath = filoPath,
                FilopodiumModelOnlyForOpenLabels = filoChoice == "auto",
                Options = options,
                Outputs = new FilopodiaOutputOptions { Render = pictures, DotPlot = pictures, Labels = pr.GetValue(labels) },
            };
            request.Validate();
            using var folder = OutputFolder.Create(outDir);
            var run = CliProgress.Run(ctx, p => FilopodiaRun.Execute(request, folder, progress: p));
            var (result, accuracy) = (run.Result, run.Accuracy);
            folder.Commit();
            Print(ctx, result);
            if (accuracy is not null) ctx.Out.WriteLine(FilopodiaTruth.Markdown(accuracy));
            if (result.Counts.InSummary == 0)
                ctx.Err.WriteLine("sxtseg: warning: no filopodia in the summary (none found, or all cut by the field of view); the tables have headers only");
            ctx.Out.MarkupLineInterpolated($"wrote [green]{outDir}[/]");
            return 0;
        })));
        return cmd;
    }

    private static void Print(CliContext ctx, FilopodiaResult result)
    {
        SummaryTable.Write(ctx, "Filopodia", FilopodiaOutputs.Summary(result), "filopodium");
        ctx.Out.WriteLine(FilopodiaOutputs.CountsSentence(result));
    }
}
