using System.Diagnostics;
using System.Text.Json.Nodes;
using SxtSeg.Surfaces;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>
/// The Python readers the field uses (mrcfile, tifffile, meshio) run on files SxtSeg wrote, through
/// TestData/interop/check_outputs.py. Debian: apt-get install python3-mrcfile python3-tifffile
/// python3-meshio (CI installs them and sets SXTSEG_REQUIRE_READERS=1).
/// </summary>
public static class ReferenceReaders
{
    private static readonly Dictionary<string, bool> Cache = new();

    /// <summary>The Python 3 interpreter, or null.</summary>
    public static string? Python { get; } = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists);

    /// <summary>True when CI requires the readers (a missing one then fails instead of skipping).</summary>
    public static bool Required => Environment.GetEnvironmentVariable("SXTSEG_REQUIRE_READERS") == "1";

    /// <summary>True when every module imports.</summary>
    public static bool Has(params string[] modules)
    {
        if (Python is null) return false;
        string key = string.Join(",", modules);
        lock (Cache)
        {
            if (Cache.TryGetValue(key, out bool known)) return known;
            var (code, _) = RunPython("-c", "import " + key);
            return Cache[key] = code == 0;
        }
    }

    /// <summary>Runs python3 with arguments; returns exit code and combined output.</summary>
    public static (int Code, string Output) RunPython(params string[] args)
    {
        var psi = new ProcessStartInfo(Python ?? "python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    /// <summary>Files to check and what they must hold.</summary>
    public sealed class Manifest
    {
        private readonly JsonArray _files = new();
        private readonly string _scratch;
        private int _raw;

        /// <summary>Expected values are written into <paramref name="scratch"/>.</summary>
        public Manifest(string scratch)
        {
            _scratch = scratch;
            Directory.CreateDirectory(scratch);
        }

        /// <summary>Number of files listed.</summary>
        public int Count => _files.Count;

        /// <summary>Paths listed.</summary>
        public IEnumerable<string> Paths => _files.Select(f => (string)f!["path"]!);

        private string Raw(double[] values)
        {
            string path = Path.Combine(_scratch, $"expected-{_raw++}.f64");
            var bytes = new byte[values.Length * 8];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException();
            File.WriteAllBytes(path, bytes);
            return path;
        }

        /// <summary>An MRC file: valid for mrcfile, with these values (default: what SxtSeg's reader reads).</summary>
        public Manifest Mrc(string path, double[]? expected = null, double tolerance = 0)
        {
            using var r = VolumeIO.OpenRead(path);
            var i = r.Info;
            expected ??= r.ReadVolume<float>().Data.Select(f => (double)f).ToArray();
            _files.Add(new JsonObject
            {
                ["kind"] = "mrc", ["path"] = path, ["shape"] = new JsonArray(i.Nz, i.Ny, i.Nx),
                ["voxel_size_A"] = i.VoxelSize is { } v ? new JsonArray(v.X * 10, v.Y * 10, v.Z * 10) : null,
                ["origin_A"] = new JsonArray(i.OriginNm.X * 10, i.OriginNm.Y * 10, i.OriginNm.Z * 10),
                ["raw"] = Raw(expected), ["tolerance"] = tolerance,
            });
            return this;
        }

        /// <summary>A TIFF file: tifffile reads these values, this dtype and (if known) the voxel size in nm.</summary>
        public Manifest Tiff(string path, double[]? expected = null)
        {
            using var r = VolumeIO.OpenRead(path);
            var i = r.Info;
            expected ??= r.ReadVolume<float>().Data.Select(f => (double)f).ToArray();
            string dtype = i.Type switch
            {
                VoxelType.UInt8 => "uint8", VoxelType.Int8 => "int8", VoxelType.Int16 => "int16", VoxelType.UInt16 => "uint16",
                VoxelType.UInt32 => "uint32", VoxelType.Float16 => "float16", _ => "float32",
            };
            _files.Add(new JsonObject
            {
                ["kind"] = "tiff", ["path"] = path, ["shape"] = new JsonArray(i.Nz, i.Ny, i.Nx), ["dtype"] = dtype,
                ["voxel_size_nm"] = i.VoxelSize is { } v ? new JsonArray(v.X, v.Y, v.Z) : null, ["raw"] = Raw(expected),
            });
            return this;
        }

        /// <summary>A CSV file read by Python's csv module; <paramref name="numeric"/> columns must parse as numbers.</summary>
        public Manifest Csv(string path, params string[] numeric)
        {
            _files.Add(new JsonObject { ["kind"] = "csv", ["path"] = path, ["numeric"] = new JsonArray(numeric.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()) });
            return this;
        }

        /// <summary>
        /// A mesh file read by meshio: its triangle count and bounds as SxtSeg's reader gives them (in the
        /// file's unit), closed, and (when given) inside the volume's extent in the file's unit.
        /// </summary>
        public Manifest Mesh(string path, (double[] Min, double[] Max)? inside = null)
        {
            var m = MeshReader.Read(path);
            double unit = MeshReader.StatedUnits(path) == MeshUnits.Angstrom ? 10 : 1;
            var min = new double[] { double.MaxValue, double.MaxValue, double.MaxValue };
            var max = new double[] { double.MinValue, double.MinValue, double.MinValue };
            foreach (int t in m.Triangles)
                for (int k = 0; k < 3; k++)
                {
                    double c = m.Vertices[3 * t + k] * unit;
                    min[k] = Math.Min(min[k], c);
                    max[k] = Math.Max(max[k], c);
                }
            var e = new JsonObject
            {
                ["kind"] = "mesh", ["path"] = path, ["triangles"] = m.Triangles.Length / 3,
                ["min"] = new JsonArray(min.Select(v => (JsonNode?)v).ToArray()), ["max"] = new JsonArray(max.Select(v => (JsonNode?)v).ToArray()),
            };
            if (inside is { } b)
            {
                e["inside_min"] = new JsonArray(b.Min.Select(v => (JsonNode?)(v * unit)).ToArray());
                e["inside_max"] = new JsonArray(b.Max.Select(v => (JsonNode?)(v * unit)).ToArray());
            }
            _files.Add(e);
            return this;
        }

        /// <summary>Every MRC, TIFF, CSV and mesh file under <paramref name="folder"/>, with SxtSeg's own reading as the expectation.</summary>
        public Manifest Folder(string folder, bool meshes = true)
        {
            foreach (string f in Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (Paths.Contains(f)) continue;
                switch (Path.GetExtension(f).ToLowerInvariant())
                {
                    case ".mrc" or ".rec": Mrc(f); break;
                    case ".tif" or ".tiff": Tiff(f); break;
                    case ".csv": Csv(f); break;
                    case ".ply" or ".stl" or ".obj" when meshes: Mesh(f); break;
                }
            }
            return this;
        }

        /// <summary>Runs the checker; returns its exit code and output.</summary>
        public (int Code, string Output) Check()
        {
            string manifest = Path.Combine(_scratch, "manifest.json");
            File.WriteAllText(manifest, new JsonObject { ["files"] = _files.DeepClone() }.ToJsonString());
            return RunPython(Path.Combine(TestPaths.Data, "interop", "check_outputs.py"), manifest);
        }
    }
}

/// <summary>
/// A test that reads files with Python's reference readers: skipped (not passed) where python3 or a
/// module is missing, and run (so failing without them) where SXTSEG_REQUIRE_READERS=1, as in CI.
/// </summary>
public sealed class ReferenceReadersFactAttribute : FactAttribute
{
    /// <summary>Needs python3 with <paramref name="modules"/>.</summary>
    public ReferenceReadersFactAttribute(params string[] modules)
    {
        var need = modules.Length == 0 ? new[] { "numpy", "mrcfile", "tifffile" } : modules;
        if (!ReferenceReaders.Has(need) && !ReferenceReaders.Required)
            Skip = $"python3 with {string.Join(", ", need)} is not installed (apt-get install python3-mrcfile python3-tifffile python3-meshio); CI installs them and requires them (SXTSEG_REQUIRE_READERS=1)";
    }
}
