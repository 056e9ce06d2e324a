namespace SxtSeg.Inference;

/// <summary>Tiles along one axis: where each starts and how long it is (same length arrays).</summary>
/// <param name="Starts">First sample of each tile, increasing; the first is 0.</param>
/// <param name="Sides">Samples in each tile; a tile may reach past the axis (the caller pads by reflection).</param>
public readonly record struct AxisTiles(int[] Starts, int[] Sides)
{
    /// <summary>Number of tiles.</summary>
    public int Count => Starts.Length;

    /// <summary>Samples predicted along the axis (Σ sides).</summary>
    public int Predicted => Sides.Sum();
}
