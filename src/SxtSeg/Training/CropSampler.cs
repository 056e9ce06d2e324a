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

    /// <summary>Creates a sampler of <paramref name="crop"/>² crops; <paramref name="augment"/> turns on the appearance augmentation.</summary>
    public CropSampler(SliceBank bank, int crop, bool augment = false)
    {
        _bank = bank;
        _crop = crop;
        Augment = augment;
    }

    /// <summary>
    /// Appearance augmentation of the image crops (labels untouched), each with probability ½: a
    /// Gaussian blur of σ 0.3–1.5 pixels (other optics, detector blur, SIRT), Gaussian noise of σ
    /// 0.1–0.8 robust SD, optionally blurred by σ 0.5–1 pixel (fewer photons; reconstruction noise is
    /// correlated), and a contrast change ×0.7–1.4; afterwards the crop is rescaled to its original
    /// robust SD, since a whole slice that looked like this would be normalised to unit robust SD
    /// before the network sees it.
    /// </summary>
    public bool Augment { get; }

    private float[] _tmp = Array.Empty<float>(), _tmp2 = Array.Empty<float>();

    /// <summary>Draws an annotated crop (image, target 0/1, weight 0/1).</summary>
    public void DrawAnnotated(TrainingRandom rng, Span<float> image, Span<byte> target, Span<byte> weight, double invertProbability)
    {
        var r = _bank.Train[rng.Next(_bank.Train.Count)];
        var s = _bank.Sources[r.Source];
        int n = s.Nx * s.Ny;
        Ensure(n);
        var area = s.ReadImage(r.Z, _image.AsSpan(0, n));
        s.ReadLabels(r.Z, _target.AsSpan(0, n), _weight.AsSpan(0, n));
        var p = Place(rng, area, s.Nx, s.Ny);
        Copy<float>(_image, s.Nx, s.Ny, p, image);
        Copy<byte>(_target, s.Nx, s.Ny, p, target);
        Copy<byte>(_weight, s.Nx, s.Ny, p, weight);
        if (Augment) Appearance(rng, image);
        if (invertProbability > 0 && rng.Next(1 << 20) < invertProbability * (1 << 20)) Negate(image);
    }

    /// <summary>Draws an image crop for the image mode.</summary>
    public void DrawImage(TrainingRandom rng, Span<float> image, double invertProbability)
    {
        var r = _bank.Images[rng.Next(_bank.Images.Count)];
        var s = _bank.Sources[r.Source];
        int n = s.Nx * s.Ny;
        Ensure(n);
        var area = s.ReadImage(r.Z, _image.AsSpan(0, n));
        var p = Place(rng, area, s.Nx, s.Ny);
        Copy<float>(_image, s.Nx, s.Ny, p, image);
        if (Augment) Appearance(rng, image);
        if (invertProbability > 0 && rng.Next(1 << 20) < invertProbability * (1 << 20)) Negate(image);
    }

    private static double Uniform(TrainingRandom rng, double lo, double hi) => lo + (hi - lo) * (rng.NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal deviate (Box–Muller from the run's generator).</summary>
    private static double Normal(TrainingRandom rng)
    {
        double u1 = Math.Max(1e-300, Uniform(rng, 0, 1)), u2 = Uniform(rng, 0, 1);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private void Appearance(TrainingRandom rng, Span<float> image)
    {
        int c = _crop, n = c * c;
        if (_tmp.Length != n)
        {
            _tmp = new float[n];
            _tmp2 = new float[n];
        }
        double before = RobustScale(image);
        bool changed = false;
        if (rng.NextBool())
        {
            Blur(image, c, Uniform(rng, 0.3, 1.5));
            changed = true;
        }
        if (rng.NextBool())
        {
            double sigma = Uniform(rng, 0.1, 0.8);
            var noise = _tmp2.AsSpan(0, n);
            for (int i = 0; i < n; i++) noise[i] = (float)Normal(rng);
            if (rng.NextBool())
            {
                double s = Uniform(rng, 0.5, 1.0);
                Blur(noise, c, s);
                sigma *= Math.Sqrt(4 * Math.PI) * s; // keep the noise's SD after the blur (a 2D Gaussian of σ s keeps 1/(2√π s) of it)
            }
            for (int i = 0; i < n; i++) image[i] += (float)(sigma * noise[i]);
            changed = true;
        }
        if (rng.NextBool())
        {
            float k = (float)Uniform(rng, 0.7, 1.4);
            for (int i = 0; i < n; i++) image[i] *= k;
            changed = true;
        }
        if (!changed) return;
        double after = RobustScale(image);
        if (after > 1e-6 && before > 1e-6)
        {
            float k = (float)(before / after);
            for (int i = 0; i < n; i++) image[i] *= k;
        }
    }

    /// <summary>1.4826 × the MAD of a strided sample of the crop about its median.</summary>
    private double RobustScale(ReadOnlySpan<float> image)
    {
        int m = 0;
        var s = _tmp;
        for (int i = 0; i < image.Length; i += 7) s[m++] = image[i];
        var v = s.AsSpan(0, m);
        v.Sort();
        float med = v[m / 2];
        for (int i = 0; i < m; i++) v[i] = Math.Abs(v[i] - med);
        v.Sort();
        return 1.4826 * v[m / 2];
    }

    /// <summary>Separable Gaussian blur of a c × c image in place (edges clamped).</summary>
    private void Blur(Span<float> image, int c, double sigma)
    {
        int r = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        Span<float> k = stackalloc float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = (float)Math.Exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] = (float)(k[i] / sum);
        var t = _tmp.AsSpan(0, c * c);
        for (int y = 0; y < c; y++)
            for (int x = 0; x < c; x++)
            {
                float a = 0;
                for (int j = -r; j <= r; j++) a += k[j + r] * image[y * c + Math.Clamp(x + j, 0, c - 1)];
                t[y * c + x] = a;
            }
        for (int y = 0; y < c; y++)
            for (int x = 0; x < c; x++)
            {
                float a = 0;
                for (int j = -r; j <= r; j++) a += k[j + r] * t[Math.Clamp(y + j, 0, c - 1) * c + x];
                image[y * c + x] = a;
            }
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
