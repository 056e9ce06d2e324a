namespace SxtSeg.Surfaces;

/// <summary>Names, extensions and size limits of <see cref="MeshFormat"/>.</summary>
public static class MeshFormats
{
    /// <summary>Parses "ply", "stl" or "obj".</summary>
    public static MeshFormat Parse(string s, string option = nameof(MeshRunOptions.Format)) => s.Trim().TrimStart('.').ToLowerInvariant() switch
    {
        "ply" => MeshFormat.Ply,
        "stl" => MeshFormat.Stl,
        "obj" => MeshFormat.Obj,
        _ => throw new InvalidOptionException(option, $"'{s}' is not a mesh format (use ply, stl or obj)"),
    };

    /// <summary>The file extension with its dot.</summary>
    public static string Extension(this MeshFormat f) => f switch { MeshFormat.Ply => ".ply", MeshFormat.Stl => ".stl", _ => ".obj" };

    /// <summary>The format implied by a file name.</summary>
    public static MeshFormat FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".ply" => MeshFormat.Ply,
        ".stl" => MeshFormat.Stl,
        ".obj" => MeshFormat.Obj,
        var e => throw new InvalidInputException(path, $"unknown mesh format '{e}' (use .ply, .stl or .obj)"),
    };

    /// <summary>Most triangles one file of the format can hold (binary STL counts triangles in a uint32).</summary>
    public static long MaxTriangles(this MeshFormat f) => f == MeshFormat.Stl ? uint.MaxValue : int.MaxValue;

    /// <summary>Most vertices one file can hold (PLY and OBJ index vertices with 32-bit integers in every common reader).</summary>
    public static long MaxVertices(this MeshFormat f) => f == MeshFormat.Stl ? long.MaxValue : int.MaxValue;
}
