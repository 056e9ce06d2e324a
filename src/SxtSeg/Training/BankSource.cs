using System.Text.Json.Nodes;
using SxtSeg.Network;
using SxtSeg.Volumes;

namespace SxtSeg.Training;

/// <summary>
/// A tomogram (or stack of slices) of a training run, read slice by slice when drawn: the image,
/// and for annotated sources a label file decoded by a <see cref="LabelCoding"/> and an optional
/// ignore mask (a simulation's <c>ignore.mrc</c>: weight 0 on membranes a slice cannot show).
/// Each slice's normalisation statistics and real image area are measured once and kept.
/// </summary>
public sealed class BankSource : IDisposable
{
    private readonly IVolumeReader _image;
    private readonly IVolumeReader? _labels, _ignore;
    private IVolumeReader? _clean;
    private readonly SliceStatistics?[] _stats;
    private readonly ImageArea[] _areas;
    private float[] _labelBuf = Array.Empty<float>();
    private byte[] _ignoreBuf = Array.Empty<byte>();

    internal BankSource(string role, IVolumeReader image, IVolumeReader? labels, IVolumeReader? ignore, LabelCoding? coding, string? instrument, SliceNormalization normalisation,
        double? voxelSizeNm = null)
    {
        // --voxel-size (voxelSizeNm) wins over the header, as in segment; a header size no cryo-SXT
        // tomogram has (a writer's default: 1 µm per pixel in uncalibrated ImageJ-style TIFFs, 1 Å in
        // MRC) would go into the model card as its training range, so it is refused.
        VoxelSizeNm = voxelSizeNm ?? (image.Info.VoxelSize is { IsValid: true } vs ? vs.X : null);
        // a simulation states the size it was made at (the simulator allows 1–500 nm), so only the user's files are checked
        bool simulated = role is "simulation" or "validation-simulation";
        if (voxelSizeNm is null && !simulated && ImplausibleHeader(image.Path, VoxelSizeNm) is { } refused)
        {
            // the source owns its readers once made; refused, it closes them
            image.Dispose();
            labels?.Dispose();
            ignore?.Dispose();
            throw refused;
        }
        Role = role;
        _image = image;
        _labels = labels;
        _ignore = ignore;
        Coding = coding;
        Instrument = instrument;
        Normalisation = normalisation;
        _stats = new SliceStatistics?[image.Info.Nz];
        _areas = new ImageArea[image.Info.Nz];
    }

    /// <summary>
    /// The error for a header voxel size no cryo-SXT tomogram has (<see cref="VoxelSize.CryoSxtNote"/>), else null.
    /// Both recipes refuse such a header of the user's inputs (x, the edge the model card records) unless
    /// --voxel-size overrides it: it would become the model card's voxel size.
    /// </summary>
    internal static InvalidInputException? ImplausibleHeader(string path, double? headerNm) =>
        headerNm is double h && VoxelSize.CryoSxtNote(VoxelSize.Isotropic(h)) is { } note ? new InvalidInputException(path, note) : null;

    /// <summary>The header's voxel size (nm, x) when <paramref name="usedNm"/> (--voxel-size) differs from it, else null: kept on a model card's input entry.</summary>
    internal static double? OverriddenHeaderNm(VoxelSize? header, double? usedNm) =>
        header is { IsValid: true } h && usedNm is double used && Math.Abs(h.X - used) > 1e-9 * used ? h.X : null;

    /// <summary>"simulation", "annotated-volume", "annotated-pair", "unannotated", "validation-simulation".</summary>
    public string Role { get; }

    /// <summary>Image file.</summary>
    public string Path => _image.Path;

    /// <summary>Label file, if annotated.</summary>
    public string? LabelsPath => _labels?.Path;

    /// <summary>Ignore mask file, if any.</summary>
    public string? IgnorePath => _ignore?.Path;

    /// <summary>Noise-free twin file (a simulation's <c>clean.mrc</c>), if attached.</summary>
    public string? CleanPath => _clean?.Path;

    /// <summary>True when a noise-free twin of the image is attached (<see cref="ReadClean"/>).</summary>
    public bool HasClean => _clean is not null;

    /// <summary>Shape and voxel size of the image.</summary>
    public VolumeInfo Info => _image.Info;

    /// <summary>Voxel size (nm): the header's, else the one given for the run, else null.</summary>
    public double? VoxelSizeNm { get; }

    /// <summary>Pixels per resolution element (a simulation's truth.json: resolution / voxel size), else null.</summary>
    public double? ResolutionPx { get; init; }

    /// <summary>Label coding (null for unannotated sources).</summary>
    public LabelCoding? Coding { get; }

    /// <summary>Instrument, when known.</summary>
    public string? Instrument { get; }

    /// <summary>Input normalisation.</summary>
    public SliceNormalization Normalisation { get; }

    /// <summary>True when the source has labels.</summary>
    public bool IsAnnotated => _labels is not null;

    /// <summary>Slice width.</summary>
    public int Nx => _image.Info.Nx;

    /// <summary>Slice height.</summary>
    public int Ny => _image.Info.Ny;

    /// <summary>Reads and normalises slice <paramref name="z"/> into <paramref name="image"/> (length Nx·Ny); returns its real image area.</summary>
    public ImageArea ReadImage(int z, Span<float> image)
    {
        _image.ReadSlice<float>(z, image);
        if (_stats[z] is not { } st)
        {
            var area = ImageArea.Find(image, Nx, Ny);
            st = Normalisation.Measure(image, Nx, area.IsEmpty ? new ImageArea(0, 0, Nx, Ny) : area);
            _areas[z] = area;
            _stats[z] = st;
        }
        st.Apply(image);
        return _areas[z];
    }

    /// <summary>
    /// Attaches the noise-free twin of the image (same size; the same phantom and acquisition without
    /// photon, read and flicker noise). The source owns and disposes it.
    /// </summary>
    internal void AttachClean(IVolumeReader clean)
    {
        var a = _image.Info;
        var b = clean.Info;
        if (a.Nx != b.Nx || a.Ny != b.Ny || a.Nz != b.Nz)
            throw new InvalidInputException(clean.Path, $"is {b.Nx} × {b.Ny} × {b.Nz}, the image {System.IO.Path.GetFileName(Path)} is {a.Nx} × {a.Ny} × {a.Nz}");
        _clean?.Dispose();
        _clean = clean;
    }

    /// <summary>
    /// Reads slice <paramref name="z"/> of the noise-free twin into <paramref name="clean"/>, normalised
    /// with the statistics of the noisy slice (the same affine map as <see cref="ReadImage"/>), so it is
    /// the denoised version of what the network sees.
    /// </summary>
    public void ReadClean(int z, Span<float> clean)
    {
        if (_clean is null) throw new InvalidOperationException("no noise-free twin attached");
        if (_stats[z] is null) ReadImage(z, clean); // measures and keeps the noisy slice's statistics
        _clean.ReadSlice<float>(z, clean);
        _stats[z]!.Value.Apply(clean);
    }

    /// <summary>Decodes the labels of slice <paramref name="z"/>: target 1 = membrane, weight 1 = annotated and not ignored; returns the weighted pixel count.</summary>
    public long ReadLabels(int z, Span<byte> target, Span<byte> weight)
    {
        if (_labels is null || Coding is null) throw new InvalidOperationException("not an annotated source");
        int n = Nx * Ny;
        if (_labelBuf.Length != n) _labelBuf = new float[n];
        if (target.Length != n || weight.Length != n) throw new ArgumentException($"target and weight must hold {n} pixels");
        _labels.ReadSlice<float>(z, _labelBuf);
        long annotated = Coding.Decode(_labelBuf, target, weight, _labels.Path, z);
        if (_ignore is not null)
        {
            if (_ignoreBuf.Length != n) _ignoreBuf = new byte[n];
            _ignore.ReadSlice<byte>(z, _ignoreBuf);
            for (int i = 0; i < n; i++)
                if (_ignoreBuf[i] != 0 && weight[i] != 0)
                {
                    weight[i] = 0;
                    annotated--;
                }
        }
        return annotated;
    }

    /// <summary>A summary for the model card (with the header's voxel size when --voxel-size overrode another).</summary>
    public JsonObject Describe()
    {
        var o = DescribeFields();
        if (OverriddenHeaderNm(Info.VoxelSize, VoxelSizeNm) is double h) o["header_voxel_size_nm"] = h;
        return o;
    }

    private JsonObject DescribeFields() => new()
    {
        ["file"] = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(Path + "/") is { Length: > 0 } d && Role.Contains("simulation", StringComparison.Ordinal) ? d : Path),
        ["role"] = Role,
        ["size"] = $"{Info.Nx} x {Info.Ny} x {Info.Nz}",
        ["voxel_size_nm"] = VoxelSizeNm,
        ["instrument"] = Instrument,
        ["label_coding"] = Coding?.ToString(),
        ["ignore_mask"] = _ignore is not null,
        ["clean_twin"] = _clean is not null,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        _image.Dispose();
        _labels?.Dispose();
        _ignore?.Dispose();
        _clean?.Dispose();
    }
}
