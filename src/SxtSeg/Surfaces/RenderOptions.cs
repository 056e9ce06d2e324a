using SxtSeg.Imaging;

namespace SxtSeg.Surfaces;

/// <summary>How to render.</summary>
public sealed record RenderOptions
{
    /// <summary>Width of each view panel in pixels.</summary>
    public int Width { get; init; } = 1000;

    /// <summary>Height of each view panel in pixels.</summary>
    public int Height { get; init; } = 800;

    /// <summary>Views, drawn side by side at the same scale.</summary>
    public IReadOnlyList<ViewAngle> Views { get; init; } = new[] { new ViewAngle(30, 35) };

    /// <summary>Supersampling factor per axis for anti-aliasing (1..4).</summary>
    public int Supersample { get; init; } = 2;

    /// <summary>Key of a setting error about the panel size (<see cref="Width"/> and <see cref="Height"/> together).</summary>
    public const string SizeKey = "Size";

    /// <summary>Draw a scale bar (orthographic projection: one bar is valid for the whole panel).</summary>
    public bool ScaleBar { get; init; } = true;

    /// <summary>Draw an x/y/z axis triad.</summary>
    public bool Axes { get; init; } = true;

    /// <summary>Write the view angles in each panel.</summary>
    public bool Captions { get; init; } = true;

    /// <summary>Darken silhouettes and the borders between objects.</summary>
    public bool Outlines { get; init; } = true;

    /// <summary>Background colour at the top of a panel.</summary>
    public Rgb BackgroundTop { get; init; } = new(250, 251, 253);

    /// <summary>Background colour at the bottom of a panel.</summary>
    public Rgb BackgroundBottom { get; init; } = new(218, 223, 231);
}
