namespace SxtSeg.Surfaces;

/// <summary>Names and scale of <see cref="MeshUnits"/>.</summary>
public static class MeshUnitNames
{
    /// <summary>Parses "nm" or "angstrom" ("a", "å", "ang" too).</summary>
    public static MeshUnits Parse(string s, string option = nameof(MeshRunOptions.Units)) => s.Trim().ToLowerInvariant() switch
    {
        "nm" or "nanometre" or "nanometer" or "nanometres" or "nanometers" => MeshUnits.Nanometre,
        "angstrom" or "angstroms" or "a" or "å" or "ang" or "ångström" => MeshUnits.Angstrom,
        _ => throw new InvalidOptionException(option, $"'{s}' is not a length unit (use nm or angstrom)"),
    };

    /// <summary>The unit's name as written into files ("nm" or "angstrom").</summary>
    public static string Name(this MeshUnits u) => u == MeshUnits.Angstrom ? "angstrom" : "nm";

    /// <summary>File units per nanometre (1 or 10).</summary>
    public static float PerNanometre(this MeshUnits u) => u == MeshUnits.Angstrom ? 10f : 1f;
}
