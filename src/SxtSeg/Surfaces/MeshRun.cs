using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Morphology;

namespace SxtSeg.Surfaces;

/// <summary>
/// The mesh pipeline: marching cubes on every object → Taubin smoothing → optional decimation →
/// meshes.EXT (split into parts over the triangle limit), objects/object_ID.EXT, preview.png and
/// mesh.json (provenance, files, per-object vertices, triangles, area, enclosed volume, colour).
/// </summary>
public static class MeshRun
{
    /// <summary>The sidecar's name.</summary>
    public const string Sidecar = "mesh.json";

    /// <summary>Writes the surfaces of <paramref name="labels"/> into <paramref name="folder"/> (the caller commits it).</summary>
    public static MeshRunResult Run(ILabelStream labels, OutputFolder folder, MeshRunOptions options, Provenance provenance,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var meshes = MarchingCubes.Extract(labels, progress, cancel);
        int done = 0;
        // Smoothed, decimated and measured without the volume's origin (float32 vertices at a header
        // origin of 10⁶ nm keep a sixteenth of a nm, too little for smoothing), then placed at it.
        var o = labels.Info.OriginNm;
        var measures = new (double Area, double Volume)[meshes.Objects.Count];
        Parallel.For(0, meshes.Objects.Count, i =>
        {
            var m = meshes.Objects[i];
            m.Translate(-o.X, -o.Y, -o.Z);
            MeshSmoothing.Taubin(m, options.Smoothing);
            if (options.Decimate is { } f && f < 1) MeshDecimation.Decimate(m, f);
            measures[i] = (m.Area(), m.EnclosedVolume());
            m.Translate(o.X, o.Y, o.Z);
            progress.Report("smoothing", Interlocked.Increment(ref done), meshes.Objects.Count, "objects");
        });
        var fmt = options.Format;
        var write = new MeshWriteOptions { Seed = options.Seed, Provenance = provenance, MaxTrianglesPerFile = options.MaxTrianglesPerFile, Units = options.Units };
        string combined = "meshes" + fmt.Extension();
        var files = MeshWriter.WriteCombined(folder.File(combined), meshes.Objects, fmt, write, folder.Destination(combined)).Select(f => Path.GetFileName(f)).ToList();
        if (options.PerObject)
        {
            Directory.CreateDirectory(folder.File("objects"));
            foreach (var m in meshes.Objects)
            {
                string name = Path.Combine("objects", $"object_{m.SourceId.ToString("D6", CultureInfo.InvariantCulture)}{fmt.Extension()}");
                MeshWriter.WriteFile(folder.File(name), new[] { m }, fmt, write);
            }
        }
        if (options.Preview)
            MeshRenderer.WritePng(folder.File("preview.png"), meshes.Objects.Select(m => RenderItem.FromMesh(m, options.Seed)).ToList(),
                new RenderOptions { Width = 800, Height = 640, Views = new[] { new ViewAngle(30, 35), new ViewAngle(0, 90) } },
                new Dictionary<string, string> { ["Software"] = ToolInfo.NameAndVersion, ["Description"] = provenance.ToJson() });
        AtomicFile.WriteAllText(folder.File(Sidecar), SidecarJson(meshes, measures, files, options, provenance).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return new MeshRunResult(meshes, files);
    }

    private static JsonObject SidecarJson(MeshSet set, (double Area, double Volume)[] measures, IReadOnlyList<string> files, MeshRunOptions options, Provenance provenance)
    {
        var list = new JsonArray();
        for (int i = 0; i < set.Objects.Count; i++)
        {
            var m = set.Objects[i];
            var c = MeshColors.ForObject(m.SourceId, options.Seed);
            list.Add(new JsonObject
            {
                ["id"] = m.SourceId,
                ["vertices"] = m.VertexCount,
                ["triangles"] = m.TriangleCount,
                ["area_nm2"] = Math.Round(measures[i].Area, 3),
                ["enclosed_volume_nm3"] = Math.Round(measures[i].Volume, 3),
                ["color"] = $"#{c.R:x2}{c.G:x2}{c.B:x2}",
            });
        }
        return new JsonObject
        {
            ["provenance"] = provenance.ToJsonObject(),
            ["units"] = options.Units.Name(),
            ["units_note"] = "coordinates in the files are in this unit; area_nm2 and enclosed_volume_nm3 below are in nm² and nm³",
            ["files"] = new JsonArray(files.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            ["objects"] = list,
        };
    }
}
