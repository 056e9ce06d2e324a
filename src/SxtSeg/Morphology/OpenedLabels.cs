using SxtSeg.Volumes;

namespace SxtSeg.Morphology;

/// <summary>Objects opened from a label file, with what owns them.</summary>
public sealed class OpenedLabels : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    /// <summary>The object labels.</summary>
    public required ILabelStream Labels { get; init; }
    /// <summary>One line describing how the labels were read.</summary>
    public required string Description { get; init; }
    /// <summary>Objects removed by the size filters.</summary>
    public int RemovedBySize { get; init; }
    /// <summary>Voxel size used (nm).</summary>
    public required VoxelSize? VoxelSize { get; init; }
    /// <summary>Warnings for the user (a header voxel size no cryo-SXT tomogram has, taken for sizes in nm).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    internal void Own(IDisposable d) => _owned.Add(d);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
    }
}
