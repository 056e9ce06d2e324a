using System.Globalization;
using SxtSeg.Simulation;

namespace SxtSeg.Evaluation;

/// <summary>What <see cref="ThresholdCalibration.Run"/> calibrates, and on what.</summary>
public sealed record ThresholdCalibrationRequest
{
    /// <summary>The model file whose threshold is calibrated.</summary>
    public required string Model { get; init; }

    /// <summary>Validation simulation folders (tomogram.mrc, membranes.mrc and, when present, ignore.mrc), never used in training.</summary>
    public required IReadOnlyList<string> Simulations { get; init; }

    /// <summary>Thresholds to try, each in (0, 1) (default <see cref="ThresholdCalibration.DefaultThresholds"/>).</summary>
    public IReadOnlyList<double> Thresholds { get; init; } = ThresholdCalibration.DefaultThresholds;

    /// <summary>When given, only thresholds whose pooled false positives (voxels farther than the tolerance from any visible true voxel) stay at most this percentage of the visible truth qualify.</summary>
    public double? MaxFalsePositivePercent { get; init; }

    /// <summary>Inference workers.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Folder for the per-tomogram probability maps and labels (default: a new temporary folder, deleted at the end).</summary>
    public string? TempFolder { get; init; }

    /// <summary>Checks the request; throws <see cref="InvalidOptionException"/> or <see cref="InvalidInputException"/> with one line.</summary>
    public void Validate()
    {
        if (Simulations.Count == 0) throw new InvalidOptionException("--sim", "give at least one validation simulation folder");
        if (Thresholds.Count == 0) throw new InvalidOptionException("--thresholds", "give at least one threshold");
        foreach (double t in Thresholds)
            if (!(t > 0 && t < 1)) throw new InvalidOptionException("--thresholds", string.Create(CultureInfo.InvariantCulture, $"every threshold must be in (0, 1), got {t}"));
        if (MaxFalsePositivePercent is double fp && !(fp > 0 && double.IsFinite(fp)))
            throw new InvalidOptionException("--max-fp", string.Create(CultureInfo.InvariantCulture, $"must be a positive percentage, got {fp}"));
        if (Workers < 1) throw new InvalidOptionException("--workers", "must be at least 1");
        foreach (string sim in Simulations)
            foreach (string file in new[] { SimulationResult.Files.Tomogram, SimulationResult.Files.Membranes })
                if (!File.Exists(Path.Combine(sim, file)))
                    throw new InvalidInputException(sim, $"is not a simulation folder: it has no {file}");
    }
}
