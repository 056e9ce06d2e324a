namespace SxtSeg.Measurement.Filopodia;

/// <summary>What <see cref="FilopodiaOutputs.Write"/> writes besides the tables.</summary>
public sealed record FilopodiaOutputOptions
{
    /// <summary>Write filopodia.png: renders of the separated filopodia (default true).</summary>
    public bool Render { get; init; } = true;

    /// <summary>Write dotplot.png: each filopodium's values with mean ± SD, like the paper's Fig. 3B (default true).</summary>
    public bool DotPlot { get; init; } = true;

    /// <summary>Write filopodia.mrc: a uint16 instance map of the filopodia (id per voxel; default false: as large as the input).</summary>
    public bool Labels { get; init; }

    /// <summary>Colour seed of the renders.</summary>
    public int Seed { get; init; } = 1;
}
