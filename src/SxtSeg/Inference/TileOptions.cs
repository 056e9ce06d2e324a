namespace SxtSeg.Inference;

/// <summary>Sliding-window settings for <see cref="SlicePredictor"/>.</summary>
public sealed record TileOptions
{
    /// <summary>
    /// Largest tile side in pixels (a multiple of the predictor's <see cref="ITilePredictor.SizeMultiple"/>);
    /// the tiles of a slice are laid out by <see cref="Tiling.Plan"/>. Default 512 since 2026-11-29 (256 before).
    /// </summary>
    public int TileSize { get; init; } = 512;

    /// <summary>Minimum overlap between neighbouring tiles, in pixels (default an eighth of the default tile).</summary>
    public int Overlap { get; init; } = 64;

    /// <summary>Tiles per predictor call (default 1, as <c>segment --tile-batch</c>).</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Blending window.</summary>
    public BlendKind Blend { get; init; } = BlendKind.Gaussian;

    /// <summary>Test-time augmentation: 1 (none), 2 (+flip), 4 (rotations), 8 (rotations × flips); predictions averaged.</summary>
    public int Augmentations { get; init; } = 1;

    /// <summary>
    /// Full square tiles of <see cref="TileSize"/> (<see cref="Tiling.Square"/>, the layout before
    /// 2026-11-29, which test-time augmentation always uses) instead of the planned layout
    /// (<see cref="Tiling.Plan"/>). For comparisons; not a command-line option.
    /// </summary>
    public bool SquareTiles { get; init; }

    /// <summary>Checks the values against a predictor.</summary>
    public void Validate(int sizeMultiple)
    {
        if (TileSize < sizeMultiple || TileSize % sizeMultiple != 0) throw new InvalidOptionException(nameof(TileSize), $"tile size must be a positive multiple of {sizeMultiple}, got {TileSize}");
        if (Overlap < 0 || Overlap >= TileSize) throw new InvalidOptionException(nameof(Overlap), $"overlap must be in 0..{TileSize - 1}, got {Overlap}");
        if (BatchSize < 1 || BatchSize > 256) throw new InvalidOptionException(nameof(BatchSize), $"batch size must be 1..256, got {BatchSize}");
        if (Augmentations is not (1 or 2 or 4 or 8)) throw new InvalidOptionException(nameof(Augmentations), $"test-time augmentation must be 1, 2, 4 or 8, got {Augmentations}");
    }
}
