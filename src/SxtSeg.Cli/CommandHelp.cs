using System.CommandLine;

namespace SxtSeg.Cli;

/// <summary>
/// Which options of each command are everyday ones (the rest are listed as expert options) and the
/// examples its --help shows. Kept in one place so that the vocabulary reads the same everywhere.
/// </summary>
internal static class CommandHelp
{
    /// <summary>Applies the layout to every command under <paramref name="root"/>.</summary>
    public static void Apply(RootCommand root)
    {
        root.Example("sxtseg segment cell01.rec --out cell01-seg", "segment the membranes of one tomogram")
            .Example("sxtseg segment 'beamtime/*.mrc' --out seg", "segment many tomograms: seg/NAME/ for each, seg/batch.csv for all")
            .Example("sxtseg demo --out demo-out", "the whole pipeline on a simulated tomogram, ending in demo-out/report.html")
            .Example("sxtseg segment --help", "everyday and expert options of one command")
            .Note("Voxel sizes are in nm everywhere. Documentation: docs/tutorial.md (a walk-through), docs/viewing.md (napari, Fiji, 3dmod, ChimeraX), docs/cluster.md (SLURM).");
        foreach (var c in root.Subcommands) Apply(c);
    }

    private static void Apply(Command c) => Apply(c.Name, c);

    /// <summary>Applies the layout of <paramref name="key"/>: the command's name, or "model info" for that subcommand (whose name is the top-level info's).</summary>
    private static void Apply(string key, Command c)
    {
        switch (key)
        {
            case "info":
                c.Everyday("--json")
                 .Example("sxtseg info cell01.rec", "size, type, voxel size (nm), origin and value statistics")
                 .Example("sxtseg info cell01.rec --no-stats --json", "the header only, as JSON");
                break;
            case "convert":
                c.Everyday("--type", "--voxel-size", "--flip-y")
                 .Example("sxtseg convert cell01.rec cell01.tif", "MRC to an ImageJ TIFF stack (voxel size in nm kept)")
                 .Example("sxtseg convert stack.tif stack.mrc --voxel-size 13", "TIFF to MRC, stating the voxel size the TIFF lacks")
                 .Example("sxtseg convert cell01.rec cell01-8bit.tif --type uint8 --scale percentile", "8-bit copy with a 0.5–99.5 % contrast stretch");
                break;
            case "slice":
                c.Everyday("--z", "--png", "--labels")
                 .Example("sxtseg slice cell01.rec --z 150 --png slice150.png", "one slice as a PNG")
                 .Example("sxtseg slice cell01.rec --z 150 --labels seg/labels.mrc --png check150.png", "the same slice with the membrane labels in red");
                break;
            case "simulate":
                c.Everyday("--profile", "--size", "--seed")
                 .Example("sxtseg simulate sim01 --size 256x256x64 --seed 1", "a simulated tomogram with exact labels in sim01/")
                 .Example("sxtseg simulate --list-parameters", "every parameter of the default profile");
                break;
            case "train":
                c.Everyday("--out", "--init", "--pairs", "--volume", "--labels", "--slices", "--sim", "--label-coding", "--max-minutes", "--resume", "--voxel-size")
                 .Example("sxtseg train --init 2d --pairs my-slices/ --out tuned", "fine-tune the shipped one-slice model on a few single slices you annotated (name.tif + name.labels.tif)")
                 .Example("sxtseg train --init default --volume cell01.rec --labels cell01-painted.tif --label-coding painted --out tuned", "fine-tune on slices painted in napari or Fiji (0 = not annotated, 1 = background, 2 = membrane)");
                break;
            case "model":
                c.Example("sxtseg model info", "what the shipped default model is")
                 .Example("sxtseg model presets", "network presets and their sizes");
                foreach (var s in c.Subcommands) Apply(s.Name == "info" ? "model info" : s.Name, s);
                break;
            case "model info":
                c.Example("sxtseg model info", "the shipped default model's card: id, network, threshold, voxel sizes, training data, figures")
                 .Example("sxtseg model info runs/tuned/model.sxtmodel --json", "a model file's card as JSON")
                 .Example("sxtseg model info --preset paper", "a network preset's parameter counts");
                break;
            case "presets":
                c.Example("sxtseg model presets", "network presets and their sizes");
                break;
            case "referee":
                c.Example("sxtseg model referee runs/tuned/model.sxtmodel 2d --out tuned-ref.sxtmodel", "let the shipped one-slice model decide the polarity when your 7-slice model cannot tell");
                break;
            case "average":
                c.Example("sxtseg model average runs/a/model-last.sxtmodel runs/b/model-last.sxtmodel --out soup.sxtmodel", "the weight mean of two fine-tunes of one model (a model soup)");
                break;
            case "calibrate":
                c.Example("sxtseg model calibrate runs/tuned/model.sxtmodel --sim sims/val-1 sims/val-2 --max-fp 10 --out tuned-calibrated.sxtmodel", "store the threshold with the best F1 on whole validation tomograms, false positives at most 10 % of the truth");
                break;
            case "components":
                c.Everyday("--out", "--voxel-size", "--instances", "--above", "--min-volume", "--max-volume", "--fill-holes", "--close", "--split-touching")
                 .Example("sxtseg components seg/labels.mrc --out membranes.mrc --min-volume 1e6", "each connected membrane as one object (uint16 instance map)")
                 .Example("sxtseg components seg/labels.mrc --out objects.mrc --fill-holes 3d --min-volume 2e5 --max-volume 5e9", "organelles as filled volumes; --max-volume drops a mass no organelle could be (no --close: closing also joins organelles lying close together)")
                 .Example("sxtseg components seg/probabilities.mrc --above 0.5 --out objects.mrc", "objects from a probability map");
                break;
            case "measure":
                c.Everyday("--out", "--voxel-size", "--instances", "--above", "--min-volume", "--exclude-border")
                 .Example("sxtseg measure objects.mrc --instances --out measurements --exclude-border", "per-object and per-slice tables in nm, and a Table S1 summary, of whole objects");
                break;
            case "mesh":
                c.Everyday("--out", "--voxel-size", "--instances", "--format", "--units", "--per-object", "--smooth", "--preview")
                 .Example("sxtseg mesh objects.mrc --instances --out meshes --preview", "watertight surfaces of every object (PLY, nm) and a preview picture")
                 .Example("sxtseg mesh objects.mrc --instances --out meshes-chimerax --units angstrom", "the same in Å, to open beside the tomogram in ChimeraX");
                break;
            case "render":
                c.Everyday("--png", "--view", "--instances", "--exclude-border", "--voxel-size")
                 .Example("sxtseg render objects.mrc --instances --png objects.png --view 30,35 --view 0,90 --exclude-border", "two views of the whole objects, without a display")
                 .Example("sxtseg render meshes/meshes.ply --png meshes.png", "a picture of a mesh file");
                break;
            case "segment":
                c.Everyday("--out", "--model", "--voxel-size", "--polarity", "--threshold", "--min-volume", "--probabilities", "--slices", "--workers", "--device")
                 .Example("sxtseg segment cell01.rec --out cell01-seg", "labels.tif (Fiji, MIB), labels.mrc (IMOD, ChimeraX, napari), overlay.png and segment.json in cell01-seg/")
                 .Example("sxtseg segment cell01.rec cell02.mrc stacks/ 'beamtime/*.rec' --out seg", "a batch: seg/NAME/ per tomogram, seg/batch.csv with time, voxel size, polarity and membrane fraction of each; a failing tomogram does not stop the rest (exit code 3 then)")
                 .Example("sxtseg segment cell01.tif --voxel-size 13 --probabilities float16 --out cell01-seg", "a TIFF without voxel size, with the probability map (float16 MRC)")
                 .Example("sxtseg segment cell01.rec --model 2d --out cell01-seg", "the shipped one-slice model: 1.1× faster and less memory on large tomograms, less accurate")
                 .Example("sxtseg segment cell01.rec --slices 100-199 --out part", "slices 100 to 199 (both included, counted from 0) only")
                 .Note("Cluster runs (docs/cluster.md): --shard I/N splits one tomogram over the tasks of a SLURM array job (then 'sxtseg merge DIR'); in a batch, each task takes every N-th tomogram (--task I/N). Both are read from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT when not given.");
                break;
            case "filopodia":
                c.Everyday("--out", "--voxel-size", "--tomogram", "--cell-mask", "--max-diameter", "--min-diameter", "--min-length")
                 .Example("sxtseg filopodia seg/labels.mrc --tomogram cell01.rec --out filopodia", "every filopodium cut from the cell at its base: filopodia.csv, a Table S1 summary (mean ± SD, n), a dot plot and renders; beads and cut filopodia left out")
                 .Example("sxtseg filopodia sim01/membranes.mrc --truth sim01 --out filo-check", "on a simulation's exact labels, scored against its filopodia")
                 .Example("sxtseg filopodia seg/labels.mrc --tomogram cell01.rec --cell-mask cell01-mask.tif --out filopodia", "network labels are open at the top and bottom of a flat cell: give a rough cell mask (drawn, or from another tool; or --body-model MODEL, an experimental cell-body network: docs/filopodia.md)");
                break;
            case "merge":
                c.Example("sxtseg merge /scratch/cell01-seg", "after all 'segment --shard I/N' tasks: post-process and write the outputs of one run")
                 .Example("sxtseg merge /scratch/batch-seg", "after all tasks of a batch array job: the table batch.csv of every tomogram (exit code 3 if any failed)");
                break;
            case "evaluate":
                c.Everyday("--pred", "--truth", "--tomogram", "--out", "--tolerance")
                 .Example("sxtseg evaluate --pred seg/labels.mrc --truth sim01/membranes.mrc --tomogram sim01/tomogram.mrc --out eval", "scores against a simulation's exact labels, with Otsu and adaptive-threshold baselines");
                break;
            case "demo":
                c.Everyday("--out", "--input", "--voxel-size")
                 .Example("sxtseg demo --out demo-out", "simulate, segment, mesh, measure and evaluate; open demo-out/report.html")
                 .Example("sxtseg demo --input cell01.rec --out cell01-report", "the same on your tomogram (no evaluation)");
                break;
        }
    }
}
