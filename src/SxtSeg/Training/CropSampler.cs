namespace SxtSeg.Training;

/// <summary>
/// Draws training crops from a <see cref="SliceBank"/>: a uniformly random slice, a random
/// position inside its real image area (mirrored where a slice is smaller than the crop), a random
/// dihedral transform (quarter turns and flips), and an optional contrast inversion of the image.
/// Annotated draws also give the decoded target and weight crops, transformed alike.
/// </summary>
public sealed class CropSampler
{
    private readonly SliceBank _bank;
    private readonly int _crop;
    private float[] _image = Array.Empty<float>();
    private byte[] _target = Array.Empty<byte>(), _weight = Array.Empty<byte>();

    /// <summary>Creates a sampler of <paramref name="crop"/>² crops.</summary>
    public CropSampler(SliceBank bank, int crop)
    {
        _bank = bank;
        _crop = crop;
    }

    /// <summary>Draws an annotated crop (image, target 0/1, weight 0/1).</summary>
    public void DrawAnnotated(TrainingRandom rng, Span<float> image, Span<byte> target, Span<byte> weight, double invertProbability)
    {
        var r = _bank.Train[rng.Next(_bank.Train.Count)];
        var s = _bank.Sources[r.Source];
        Ensure(s.Nx * s.Ny);
        var area = s.ReadImage(r.Z, _image);
        s.ReadLabels(r.Z, _target, _weight);
        var p = Place(rng, area, s.Nx, s.Ny);
        Copy<float>(_image, s.Nx, s.Ny, p, image);
        Copy<byte>(_target, s.Nx, s.Ny, p, target);
        Copy<byte>(_weight, s.Nx, s.Ny, p, weight);
        if (invertProbability > 0 && rng.Next(1 << 20) < invertProbability * (1 << 20)) Negate(image);
    }

    /// <summary>Draws an image crop for the image mode.</summary>
    public void DrawImage(TrainingRandom rng, Span<float> image, double invertProbability)
    {
        var r = _bank.Images[rng.Next(_bank.Images.Count)];
        var s = _bank.Sources[r.Source];
        Ensure(s.Nx * s.Ny);
        var area = s.ReadImage(r.Z, _image);
        var p = Place(rng, area, s.Nx, s.Ny);
        Copy<float>(_image, s.Nx, s.Ny, p, image);
        if (invertProbability > 0 && rng.Next(1 << 20) < invertProbability * (1 << 20)) Negate(image);
    }

    private void Ensure(int n)
    {
        if (_image.Length >= n) return;
        _image = new float[n];
        _target = new byte[n];
        _weight = new byte[n];
    }

    private Crops.Placement Place(TrainingRandom rng, Network.ImageArea area, int nx, int ny)
    {
        if (area.IsEmpty) area = new Network.ImageArea(0, 0, nx, ny);
        int x = area.Width >= _crop ? area.X0 + rng.Next(area.Width - _crop + 1) : area.X0 - (_crop - area.Width) / 2;
        int y = area.Height >= _crop ? area.Y0 + rng.Next(area.Height - _crop + 1) : area.Y0 - (_crop - area.Height) / 2;
        return new Crops.Placement(x, y, rng.Next(4), rng.NextBool(), rng.NextBool());
    }

    /// <summary>Copies the transformed crop; rows and columns outside the slice are mirrored back into it.</summary>
    private void Copy<T>(ReadOnlySpan<T> src, int nx, int ny, Crops.Placement p, Span<T> dest) where T : unmanaged
    {
        int c = _crop;
        for (int r = 0; r < c; r++)
            for (int col = 0; col < c; col++)
            {
                var (sr, sc) = Crops.Source(r, col, c, p);
                int y = Mirror(p.Y + sr, ny), x = Mirror(p.X + sc, nx);
                dest[r * c + col] = src[y * nx + x];
            }
    }

    private static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * n - 2;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }

    private static void Negate(Span<float> v)
    {
        for (int i = 0; i < v.Length; i++) v[i] = -v[i];
    }
}
