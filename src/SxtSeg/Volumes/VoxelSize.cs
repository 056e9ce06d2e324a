using System.Globalization;

namespace SxtSeg.Volumes;

/// <summary>Voxel edge lengths in nanometres along x, y and z.</summary>
public readonly record struct VoxelSize(double X, double Y, double Z)
{
    /// <summary>An isotropic voxel of edge <paramref name="nm"/>.</summary>
    public static VoxelSize Isotropic(double nm) => new(nm, nm, nm);

    /// <summary>True when every edge is a positive finite number.</summary>
    public bool IsValid => X > 0 && Y > 0 && Z > 0 && double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>Smallest voxel edge accepted from a file or an option, in nm (1 Å).</summary>
    public const double MinNm = 0.1;

    /// <summary>Largest voxel edge accepted from a file or an option, in nm (10 µm).</summary>
    public const double MaxNm = 10_000;

    /// <summary>The accepted range in words, for messages and help.</summary>
    public const string RangeText = "0.1 nm (1 Å) to 10 µm";

    /// <summary>
    /// True when every edge lies in [<see cref="MinNm"/>, <see cref="MaxNm"/>] (with 0.1 % slack for
    /// single-precision headers): anything else in a file header is corruption or a print resolution.
    /// </summary>
    public bool IsPlausible => IsValid && InRange(X) && InRange(Y) && InRange(Z);

    /// <summary>True when one edge length (nm) is in the accepted range.</summary>
    public static bool InRange(double nm) => nm >= MinNm * 0.999 && nm <= MaxNm * 1.001;

    /// <summary>
    /// Smallest voxel edge (nm) a cryo-SXT tomogram is taken to have: 4 × below the default model's
    /// range with its tolerance (9.8 × 0.75 / 4, where segment stops believing a header). A header below
    /// it is a writer's default (1 Å in MRC).
    /// </summary>
    public const double CryoSxtMinNm = 9.8 * 0.75 / 4;

    /// <summary>
    /// Largest voxel edge (nm) a cryo-SXT tomogram is taken to have: 4 × above the default model's
    /// range with its tolerance (30 × 1.25 × 4). A header above it is a writer's default (1 µm per pixel in uncalibrated ImageJ TIFFs).
    /// </summary>
    public const double CryoSxtMaxNm = 30 * 1.25 * 4;

    /// <summary>The cryo-SXT band in words, "1.84–150 nm".</summary>
    public static string CryoSxtRangeText => string.Create(CultureInfo.InvariantCulture, $"{CryoSxtMinNm:0.##}–{CryoSxtMaxNm:0} nm");

    /// <summary>
    /// "the header's X nm per voxel [along y|z] is not a cryo-SXT voxel size (1.84–150 nm)" for a header
    /// with an edge outside <see cref="CryoSxtMinNm"/>–<see cref="CryoSxtMaxNm"/>, else null: the common
    /// start of <see cref="CryoSxtNote"/>, <see cref="CryoSxtMeasurementWarning"/> and refusals.
    /// </summary>
    public static string? CryoSxtProblem(VoxelSize? header)
        => OutsideCryoSxt(header) is { } odd
            ? string.Create(CultureInfo.InvariantCulture, $"the header's {odd.Nm:0.####} nm per voxel{odd.Along} is not a cryo-SXT voxel size ({CryoSxtRangeText})")
            : null;

    /// <summary>
    /// A note for a header voxel size with an edge (x, y or z) outside <see cref="CryoSxtMinNm"/>–<see cref="CryoSxtMaxNm"/>, else null.
    /// </summary>
    public static string? CryoSxtNote(VoxelSize? header)
        => CryoSxtProblem(header) is { } problem
            ? problem + ": most likely what a writer stores without a calibration; give the true size with --voxel-size"
            : null;

    /// <summary>
    /// For sizes in nm taken at a header's voxel size: a warning naming <paramref name="path"/> when an
    /// edge lies outside the cryo-SXT band (sizes would be off by that factor if the header is a writer's default), else null.
    /// </summary>
    public static string? CryoSxtMeasurementWarning(string path, VoxelSize? header)
        => CryoSxtProblem(header) is { } problem
            ? $"{path}: {problem}: most likely what a writer stores without a calibration, and sizes in nm are off by its factor; give the true size with --voxel-size"
            : null;

    /// <summary>
    /// The first edge of a valid <paramref name="header"/> (x, y, then z) outside the cryo-SXT band, with
    /// " along y" or " along z" when it is not the x edge, else null.
    /// </summary>
    private static (double Nm, string Along)? OutsideCryoSxt(VoxelSize? header)
    {
        if (header is not { IsValid: true } h) return null;
        if (Odd(h.X)) return (h.X, "");
        if (Odd(h.Y)) return (h.Y, " along y");
        if (Odd(h.Z)) return (h.Z, " along z");
        return null;
        static bool Odd(double nm) => nm < CryoSxtMinNm || nm > CryoSxtMaxNm;
    }

    /// <summary>Voxel volume in nm³.</summary>
    public double Volume => X * Y * Z;

    /// <summary>"9.8 nm" or "10 × 10 × 12 nm".</summary>
    public override string ToString()
        => X == Y && Y == Z
            ? string.Create(CultureInfo.InvariantCulture, $"{X:0.####} nm")
            : string.Create(CultureInfo.InvariantCulture, $"{X:0.####} × {Y:0.####} × {Z:0.####} nm");

    /// <summary>Parses "10", "9.8" or "10,10,12" (nm); throws <see cref="InvalidOptionException"/>.</summary>
    public static VoxelSize Parse(string s, string option = nameof(VoxelSize))
    {
        string[] parts = s.Split(',', 'x', 'X');
        var v = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                throw new InvalidOptionException(option, $"'{s}' is not a voxel size in nm (use 10 or 10,10,12)");
        var size = v.Length switch
        {
            1 => Isotropic(v[0]),
            3 => new VoxelSize(v[0], v[1], v[2]),
            _ => throw new InvalidOptionException(option, $"'{s}' is not a voxel size in nm (use 10 or 10,10,12)"),
        };
        if (!size.IsValid) throw new InvalidOptionException(option, $"voxel size must be a positive number of nm, got '{s}'");
        if (!size.IsPlausible) throw new InvalidOptionException(option, $"voxel size must be {RangeText} on every axis, got '{s}' nm");
        return size;
    }
}
