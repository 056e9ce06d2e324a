namespace SxtSeg.Training;

/// <summary>
/// Square crops with the dihedral augmentations of the recipe: a rotation by k·90° (k = 0..3) and
/// independent left–right and up–down flips, applied identically to an image and its label.
/// </summary>
public static class Crops
{
    /// <summary>One crop placement and augmentation.</summary>
    /// <param name="X">Left column in the slice.</param>
    /// <param name="Y">Top row in the slice.</param>
    /// <param name="Rotations">Quarter turns (0..3).</param>
    /// <param name="FlipLeftRight">Mirror columns.</param>
    /// <param name="FlipUpDown">Mirror rows.</param>
    public readonly record struct Placement(int X, int Y, int Rotations, bool FlipLeftRight, bool FlipUpDown);

    /// <summary>Draws a random placement of a <paramref name="size"/>² crop inside <paramref name="area"/> with random augmentation.</summary>
    public static Placement Draw(TrainingRandom rng, Network.ImageArea area, int size)
    {
        int x = area.X0 + rng.Next(area.Width - size + 1);
        int y = area.Y0 + rng.Next(area.Height - size + 1);
        int k = rng.Next(4);
        bool lr = rng.NextBool();
        bool ud = rng.NextBool();
        return new Placement(x, y, k, lr, ud);
    }

    /// <summary>Source (row, column) inside the crop for output pixel (<paramref name="r"/>, <paramref name="c"/>).</summary>
    public static (int Row, int Col) Source(int r, int c, int size, Placement p)
    {
        if (p.FlipUpDown) r = size - 1 - r;
        if (p.FlipLeftRight) c = size - 1 - c;
        for (int k = 0; k < p.Rotations; k++) (r, c) = (c, size - 1 - r);
        return (r, c);
    }

    /// <summary>Copies an augmented crop of a float image (row-major, <paramref name="nx"/> wide).</summary>
    public static void Extract(ReadOnlySpan<float> image, int nx, int size, Placement p, Span<float> dest)
    {
        if (p.Rotations == 0 && !p.FlipLeftRight && !p.FlipUpDown)
        {
            for (int r = 0; r < size; r++) image.Slice((p.Y + r) * nx + p.X, size).CopyTo(dest.Slice(r * size, size));
            return;
        }
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
            {
                var (sr, sc) = Source(r, c, size, p);
                dest[r * size + c] = image[(p.Y + sr) * nx + p.X + sc];
            }
    }

    /// <summary>Copies an augmented crop of a membrane mask, mapped to −1 (background) / +1 (membrane).</summary>
    public static void ExtractLabel(ReadOnlySpan<byte> mask, int nx, int size, Placement p, Span<float> dest)
    {
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
            {
                var (sr, sc) = Source(r, c, size, p);
                dest[r * size + c] = mask[(p.Y + sr) * nx + p.X + sc] != 0 ? 1f : -1f;
            }
    }
}
