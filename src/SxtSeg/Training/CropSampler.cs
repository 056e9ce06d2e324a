namespace SxtSeg.Training;

/// <summary>
/// Draws training crops from a <see cref="SliceBank"/>: a uniformly random slice, a random
/// position inside its real image area (mirrored where a slice is smaller than the crop), a random
/// dihedral transform (quarter turns and flips), an optional in-plane rescaling (another pixel size),
/// an optional appearance augmentation and an optional contrast inversion of the image.
/// Annotated draws also give the decoded target and weight crops, transformed alike. With a
/// context of c slices the image crop holds 2c + 1 planes, slices z − c … z + c in z order
/// (mirrored at the ends of the tomogram, <see cref="Inference.SliceStack"/>), cut, rescaled and
/// augmented alike (noise drawn per plane); labels are those of slice z.
/// </summary>
public sealed class CropSampler
{
    private readonly SliceBank _bank;
    private readonly int _crop;
    private float[] _image = Array.Empty<float>(), _clean = Array.Empty<float>();
    private byte[] _target = Array.Empty<byte>(), _weight = Array.Empty<byte>();

    /// <summary>Creates a sampler of <paramref name="crop"/>² crops; <paramref name="augment"/> turns on the appearance augmentation.</summary>
    public CropSampler(SliceBank bank, int crop, bool augment = false)
        : this(bank, crop, new CropAugmentation(augment, false, 1, 1))
    {
    }

    /// <summary>
    /// Creates a sampler of <paramref name="crop"/>² crops with the augmentations of <paramref name="augmentation"/>;
    /// image crops hold 2 <paramref name="context"/> + 1 planes (neighbouring slices).
    /// </summary>
    public CropSampler(SliceBank bank, int crop, CropAugmentation augmentation, int context = 0)
    {
        ArgumentNullException.ThrowIfNull(augmentation);
        augmentation.Validate();
        if (context < 0 || context > Network.UNetConfig.MaxContext) throw new ArgumentOutOfRangeException(nameof(context), $"context must be 0..{Network.UNetConfig.MaxContext}");
        _bank = bank;
        _crop = crop;
        Context = context;
        Augment = augmentation.Appearance || augmentation.Strong;
        Strong = augmentation.Strong;
        ScaleMin = augmentation.ScaleMin;
        ScaleMax = augmentation.ScaleMax;
        _rescaleProbability = augmentation.RescaleProbability;
    }

    private readonly double _rescaleProbability;

    /// <summary>Neighbouring slices on each side in an image crop.</summary>
    public int Context { get; }

    /// <summary>Planes per image crop: 2 <see cref="Context"/> + 1.</summary>
    public int Channels => 2 * Context + 1;

    /// <summary>
    /// Stronger appearance augmentation (<see cref="CropAugmentation.Strong"/>): blur σ 0.3–2.5 pixels,
    /// noise σ 0.1–1.5 robust SD, contrast ×0.6–1.6 and a smooth additive shading (uneven flat field,
    /// ice thickness) of up to 0.6 robust SD across the crop.
    /// </summary>
    public bool Strong { get; }

    /// <summary>Smallest source pixels per crop pixel of the rescaling augmentation (1 with <see cref="ScaleMax"/> 1 = off).</summary>
    public double ScaleMin { get; }

    /// <summary>Largest source pixels per crop pixel of the rescaling augmentation.</summary>
    public double ScaleMax { get; }

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

    /// <summary>
    /// Draws an annotated crop (image of <see cref="Channels"/> planes, target 0/1, weight 0/1). When
    /// <paramref name="imageTarget"/> is not empty it receives the image decoder's target (<see cref="DrawImage"/>).
    /// </summary>
    public void DrawAnnotated(TrainingRandom rng, Span<float> image, Span<byte> target, Span<byte> weight, double invertProbability, Span<float> imageTarget = default)
    {
        CheckTarget(imageTarget);
        var r = _bank.Train[rng.Next(_bank.Train.Count)];
        var s = _bank.Sources[r.Source];
        int n = s.Nx * s.Ny;
        Ensure(n);
        var area = ReadPlanes(s, r.Z, n);
        bool clean = ReadClean(s, r.Z, n, imageTarget);
        s.ReadLabels(r.Z, _target.AsSpan(0, n), _weight.AsSpan(0, n));
        double scale = DrawScale(rng);
        var p = Place(rng, area, s.Nx, s.Ny, scale);
        CopyImage(s.Nx, s.Ny, n, p, scale, image);
        if (clean) CopyPlane(_clean, s.Nx, s.Ny, p, scale, imageTarget);
        if (scale == 1)
        {
            Copy<byte>(_target, s.Nx, s.Ny, p, target);
            Copy<byte>(_weight, s.Nx, s.Ny, p, weight);
        }
        else CopyScaledLabels(s.Nx, s.Ny, p, scale, target, weight);
        Finish(rng, image, imageTarget, clean, invertProbability);
    }

    /// <summary>
    /// Draws an image crop (<see cref="Channels"/> planes) for the image mode. When
    /// <paramref name="imageTarget"/> is not empty (one plane) it receives the image decoder's target:
    /// the noise-free twin of the middle plane when the source has one (<see cref="BankSource.HasClean"/>;
    /// cut, rescaled, blurred, contrast-scaled, shaded and inverted as the input, without the added
    /// noise), else the middle plane of the input as augmented. Returns true when the target is a twin.
    /// </summary>
    public bool DrawImage(TrainingRandom rng, Span<float> image, double invertProbability, Span<float> imageTarget = default)
    {
        CheckTarget(imageTarget);
        var r = _bank.Images[rng.Next(_bank.Images.Count)];
        var s = _bank.Sources[r.Source];
        int n = s.Nx * s.Ny;
        Ensure(n);
        var area = ReadPlanes(s, r.Z, n);
        bool clean = ReadClean(s, r.Z, n, imageTarget);
        double scale = DrawScale(rng);
        var p = Place(rng, area, s.Nx, s.Ny, scale);
        CopyImage(s.Nx, s.Ny, n, p, scale, image);
        if (clean) CopyPlane(_clean, s.Nx, s.Ny, p, scale, imageTarget);
        Finish(rng, image, imageTarget, clean, invertProbability);
        return clean;
    }

    /// <summary>An image target is empty (none wanted) or one crop plane.</summary>
    private void CheckTarget(Span<float> imageTarget)
    {
        if (!imageTarget.IsEmpty && imageTarget.Length != _crop * _crop) throw new ArgumentException($"an image target holds {_crop}² values", nameof(imageTarget));
    }

    /// <summary>Reads the noise-free twin of slice <paramref name="z"/> when a target is wanted and the source has one.</summary>
    private bool ReadClean(BankSource s, int z, int n, Span<float> imageTarget)
    {
        if (imageTarget.IsEmpty || !s.HasClean) return false;
        if (_clean.Length < n) _clean = new float[n];
        s.ReadClean(z, _clean.AsSpan(0, n));
        return true;
    }

    /// <summary>The appearance augmentation and contrast inversion of a drawn crop and its image target.</summary>
    private void Finish(TrainingRandom rng, Span<float> image, Span<float> imageTarget, bool clean, double invertProbability)
    {
        if (Augment) Appearance(rng, image, clean ? imageTarget : default);
        bool invert = invertProbability > 0 && rng.Next(1 << 20) < invertProbability * (1 << 20);
        if (invert) Negate(image);
        if (clean)
        {
            if (invert) Negate(imageTarget);
        }
        else if (!imageTarget.IsEmpty) image.Slice(Context * imageTarget.Length, imageTarget.Length).CopyTo(imageTarget);
    }

    /// <summary>Reads and normalises the planes of slice <paramref name="z"/> (each on its own statistics) into the image buffer; returns slice z's image area.</summary>
    private Network.ImageArea ReadPlanes(BankSource s, int z, int n)
    {
        var area = s.ReadImage(z, _image.AsSpan(Context * n, n));
        for (int p = 0; p < Channels; p++)
            if (p != Context) s.ReadImage(Inference.SliceStack.SliceOf(z, p, Context, s.Info.Nz), _image.AsSpan(p * n, n));
        return area;
    }

    /// <summary>Cuts every plane of the image buffer alike into <paramref name="image"/> (plane after plane).</summary>
    private void CopyImage(int nx, int ny, int n, Crops.Placement p, double scale, Span<float> image)
    {
        int cc = _crop * _crop;
        if (image.Length != Channels * cc) throw new ArgumentException($"an image crop holds {Channels} × {_crop}² values", nameof(image));
        for (int k = 0; k < Channels; k++) CopyPlane(_image.AsSpan(k * n, n), nx, ny, p, scale, image.Slice(k * cc, cc));
    }

    /// <summary>Cuts one plane (nx × ny) at placement <paramref name="p"/> and scale into a crop.</summary>
    private void CopyPlane(ReadOnlySpan<float> src, int nx, int ny, Crops.Placement p, double scale, Span<float> dest)
    {
        if (scale == 1) Copy(src[..(nx * ny)], nx, ny, p, dest);
        else CopyScaledImage(src[..(nx * ny)], nx, ny, p, scale, dest);
    }

    private static double Uniform(TrainingRandom rng, double lo, double hi) => lo + (hi - lo) * (rng.NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal deviate (Box–Muller from the run's generator).</summary>
    private static double Normal(TrainingRandom rng)
    {
        double u1 = Math.Max(1e-300, Uniform(rng, 0, 1)), u2 = Uniform(rng, 0, 1);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// The appearance augmentation of a crop of <see cref="Channels"/> planes: one draw of blur,
    /// contrast and shading for all planes, noise drawn per plane (for one plane the draws are those
    /// of a 2D crop), and the robust-SD rescaling measured on the middle plane. A noise-free target
    /// plane <paramref name="clean"/>, when given, gets the same blur, contrast, shading and rescaling,
    /// but no noise (the draws are the same with or without it).
    /// </summary>
    private void Appearance(TrainingRandom rng, Span<float> image, Span<float> clean = default)
    {
        int c = _crop, n = c * c, planes = Channels;
        if (_tmp.Length != n)
        {
            _tmp = new float[n];
            _tmp2 = new float[n];
        }
        double before = RobustScale(image.Slice(Context * n, n));
        bool changed = false;
        if (rng.NextBool())
        {
            double sigma = Uniform(rng, 0.3, Strong ? 2.5 : 1.5);
            for (int k = 0; k < planes; k++) Blur(image.Slice(k * n, n), c, sigma);
            if (!clean.IsEmpty) Blur(clean, c, sigma);
            changed = true;
        }
        if (rng.NextBool())
        {
            double sigma = Uniform(rng, 0.1, Strong ? 1.5 : 0.8), s = 0;
            bool blurNoise = false;
            var noise = _tmp2.AsSpan(0, n);
            for (int k = 0; k < planes; k++)
            {
                for (int i = 0; i < n; i++) noise[i] = (float)Normal(rng);
                if (k == 0 && (blurNoise = rng.NextBool()))
                {
                    s = Uniform(rng, 0.5, 1.0);
                    sigma *= Math.Sqrt(4 * Math.PI) * s; // keep the noise's SD after the blur (a 2D Gaussian of σ s keeps 1/(2√π s) of it)
                }
                if (blurNoise) Blur(noise, c, s);
                var plane = image.Slice(k * n, n);
                for (int i = 0; i < n; i++) plane[i] += (float)(sigma * noise[i]);
            }
            changed = true;
        }
        if (rng.NextBool())
        {
            float k = (float)(Strong ? Uniform(rng, 0.6, 1.6) : Uniform(rng, 0.7, 1.4));
            for (int i = 0; i < image.Length; i++) image[i] *= k;
            for (int i = 0; i < clean.Length; i++) clean[i] *= k;
            changed = true;
        }
        if (Strong && rng.NextBool())
        {
            // A smooth shading: a tilted plane plus one long-wavelength ripple, up to 0.6 robust SD peak.
            double amp = Uniform(rng, 0.1, 0.6) * before, gx = Uniform(rng, -1, 1), gy = Uniform(rng, -1, 1);
            double wave = Uniform(rng, 0.5, 1.5) * 2 * Math.PI / c, angle = Uniform(rng, 0, Math.PI), phase = Uniform(rng, 0, 2 * Math.PI);
            double wx = wave * Math.Cos(angle), wy = wave * Math.Sin(angle);
            for (int y = 0; y < c; y++)
                for (int x = 0; x < c; x++)
                {
                    double u = (double)x / c - 0.5, v = (double)y / c - 0.5;
                    float shade = (float)(amp * (0.5 * (gx * u + gy * v) + 0.5 * Math.Sin(wx * x + wy * y + phase)));
                    for (int k = 0; k < planes; k++) image[k * n + y * c + x] += shade;
                    if (!clean.IsEmpty) clean[y * c + x] += shade;
                }
            changed = true;
        }
        if (!changed) return;
        double after = RobustScale(image.Slice(Context * n, n));
        if (after > 1e-6 && before > 1e-6)
        {
            float k = (float)(before / after);
            for (int i = 0; i < image.Length; i++) image[i] *= k;
            for (int i = 0; i < clean.Length; i++) clean[i] *= k;
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
        if (_target.Length >= n) return;
        _image = new float[Channels * n];
        _target = new byte[n];
        _weight = new byte[n];
    }

    private Crops.Placement Place(TrainingRandom rng, Network.ImageArea area, int nx, int ny, double scale)
    {
        if (area.IsEmpty) area = new Network.ImageArea(0, 0, nx, ny);
        int w = scale == 1 ? _crop : (int)Math.Ceiling(_crop * scale);
        int x = area.Width >= w ? area.X0 + rng.Next(area.Width - w + 1) : area.X0 - (w - area.Width) / 2;
        int y = area.Height >= w ? area.Y0 + rng.Next(area.Height - w + 1) : area.Y0 - (w - area.Height) / 2;
        return new Crops.Placement(x, y, rng.Next(4), rng.NextBool(), rng.NextBool());
    }

    /// <summary>
    /// The rescaling factor of one draw (source pixels per crop pixel): 1 with probability 1 − the
    /// rescaled fraction (½ by default; always when the range is [1, 1]), otherwise log-uniform in
    /// [<see cref="ScaleMin"/>, <see cref="ScaleMax"/>].
    /// </summary>
    private double DrawScale(TrainingRandom rng)
    {
        if (ScaleMin == 1 && ScaleMax == 1) return 1;
        if (Uniform(rng, 0, 1) >= _rescaleProbability) return 1;
        return ScaleMin == ScaleMax ? ScaleMin : Math.Exp(Uniform(rng, Math.Log(ScaleMin), Math.Log(ScaleMax)));
    }

    /// <summary>
    /// The crop seen at another pixel size: crop pixel (r, c) covers the source square of side
    /// <paramref name="scale"/> centred on (X + (c' + ½)·scale − ½, Y + (r' + ½)·scale − ½), (r', c') the
    /// dihedral source of (r, c); the image is the mean of ⌈scale⌉² bilinear samples over that square
    /// (area averaging, so coarser pixels do not alias).
    /// </summary>
    private void CopyScaledImage(ReadOnlySpan<float> src, int nx, int ny, Crops.Placement p, double scale, Span<float> dest)
    {
        int c = _crop, k = Math.Max(1, (int)Math.Ceiling(scale));
        float inv = 1f / (k * k);
        for (int r = 0; r < c; r++)
            for (int col = 0; col < c; col++)
            {
                var (sr, sc) = Crops.Source(r, col, c, p);
                double cx = p.X + (sc + 0.5) * scale - 0.5, cy = p.Y + (sr + 0.5) * scale - 0.5;
                float a = 0;
                for (int j = 0; j < k; j++)
                {
                    double y = cy + ((j + 0.5) / k - 0.5) * scale;
                    for (int i = 0; i < k; i++) a += Bilinear(src, nx, ny, cx + ((i + 0.5) / k - 0.5) * scale, y);
                }
                dest[r * c + col] = a * inv;
            }
    }

    private static float Bilinear(ReadOnlySpan<float> src, int nx, int ny, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        float fx = (float)(x - x0), fy = (float)(y - y0);
        int xa = Mirror(x0, nx), xb = Mirror(x0 + 1, nx), ya = Mirror(y0, ny), yb = Mirror(y0 + 1, ny);
        float top = src[ya * nx + xa] + fx * (src[ya * nx + xb] - src[ya * nx + xa]);
        float bottom = src[yb * nx + xa] + fx * (src[yb * nx + xb] - src[yb * nx + xa]);
        return top + fy * (bottom - top);
    }

    /// <summary>
    /// Labels at another pixel size, kept as thin as the simulator's: coarser pixels (scale &gt; 1) are
    /// membrane when any source pixel whose centre lies in their square is a visible membrane, and ignored
    /// when none is but one of them is ignored; finer pixels (scale &lt; 1) are membrane only when they
    /// are the one finer pixel nearest the centre of a visible-membrane source pixel (offset in [−scale/2,
    /// scale/2) in both axes), and ignored elsewhere inside such a source pixel, so a 1-pixel line never
    /// becomes a band of membrane targets (along the line, 1 in 1/scale pixels is membrane, the rest ignored).
    /// </summary>
    private void CopyScaledLabels(int nx, int ny, Crops.Placement p, double scale, Span<byte> target, Span<byte> weight)
    {
        int c = _crop;
        ReadOnlySpan<byte> t = _target, w = _weight;
        double half = scale / 2;
        for (int r = 0; r < c; r++)
            for (int col = 0; col < c; col++)
            {
                var (sr, sc) = Crops.Source(r, col, c, p);
                double cx = p.X + (sc + 0.5) * scale - 0.5, cy = p.Y + (sr + 0.5) * scale - 0.5;
                int o = r * c + col;
                if (scale > 1)
                {
                    int x0 = (int)Math.Ceiling(cx - half), x1 = Math.Max(x0, (int)Math.Ceiling(cx + half) - 1);
                    int y0 = (int)Math.Ceiling(cy - half), y1 = Math.Max(y0, (int)Math.Ceiling(cy + half) - 1);
                    bool visible = false, ignored = false;
                    for (int y = y0; y <= y1; y++)
                    {
                        int row = Mirror(y, ny) * nx;
                        for (int x = x0; x <= x1; x++)
                        {
                            int i = row + Mirror(x, nx);
                            if (w[i] == 0) ignored = true;
                            else if (t[i] != 0) visible = true;
                        }
                    }
                    target[o] = visible ? (byte)1 : (byte)0;
                    weight[o] = visible || !ignored ? (byte)1 : (byte)0;
                }
                else
                {
                    int x = (int)Math.Round(cx), y = (int)Math.Round(cy);
                    int i = Mirror(y, ny) * nx + Mirror(x, nx);
                    if (t[i] != 0 && w[i] != 0)
                    {
                        // [−scale/2, scale/2) holds exactly one finer pixel per axis: one per source pixel
                        bool centre = cx - x >= -half && cx - x < half && cy - y >= -half && cy - y < half;
                        target[o] = centre ? (byte)1 : (byte)0;
                        weight[o] = centre ? (byte)1 : (byte)0;
                    }
                    else
                    {
                        target[o] = t[i];
                        weight[o] = w[i];
                    }
                }
            }
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
