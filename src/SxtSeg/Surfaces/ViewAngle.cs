using System.Globalization;

namespace SxtSeg.Surfaces;

/// <summary>
/// A view direction. Elevation 90° looks straight down the z axis with x to the right and y
/// downwards (as slices are shown); lower elevations tilt the camera towards +y; the azimuth then
/// turns the camera about the z axis.
/// </summary>
/// <param name="AzimuthDeg">Rotation about z in degrees.</param>
/// <param name="ElevationDeg">Angle above the x–y plane in degrees (−90..90).</param>
public readonly record struct ViewAngle(double AzimuthDeg, double ElevationDeg)
{
    /// <summary>Parses "AZ,EL" in degrees, e.g. "30,35".</summary>
    public static ViewAngle Parse(string s, string option = nameof(RenderOptions.Views))
    {
        var p = s.Split(',');
        if (p.Length == 2
            && double.TryParse(p[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double az)
            && double.TryParse(p[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double el)
            && double.IsFinite(az) && el is >= -90 and <= 90)
            return new ViewAngle(az, el);
        throw new InvalidOptionException(option, $"'{s}' is not a view (use AZIMUTH,ELEVATION in degrees, elevation within −90..90, e.g. 30,35)");
    }

    /// <summary>"az 30°, el 35°".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"az {AzimuthDeg:0.#}°, el {ElevationDeg:0.#}°");
}
