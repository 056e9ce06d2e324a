using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SxtSeg;

/// <summary>
/// Where an output came from: tool and version, the command, every parameter, the model id and
/// the inputs. Written into every output that can hold it (MRC labels, TIFF ImageDescription,
/// mesh comments, JSON sidecars; CSV tables keep theirs in the JSON sidecar beside them). Holds no wall-clock time, so the same inputs and seed give byte-identical files;
/// timings belong in run logs, not here.
/// </summary>
public sealed class Provenance
{
    private readonly SortedDictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly List<string> _inputs = new();
    private readonly List<(string From, string To)> _relocations = new();

    /// <summary>Creates provenance for one command ("simulate", "segment", ...).</summary>
    public Provenance(string command) => Command = command;

    /// <summary>Tool name.</summary>
    public string Tool => ToolInfo.Name;

    /// <summary>Tool version.</summary>
    public string Version => ToolInfo.Version;

    /// <summary>The command that produced the output.</summary>
    public string Command { get; }

    /// <summary>Id (content hash) of the model used, if any.</summary>
    public string? ModelId { get; set; }

    /// <summary>Parameters, sorted by name.</summary>
    public IReadOnlyDictionary<string, string> Parameters => _parameters;

    /// <summary>Input files, in the order given.</summary>
    public IReadOnlyList<string> Inputs => _inputs;

    /// <summary>Sets a parameter (invariant-culture formatting) and returns this for chaining.</summary>
    public Provenance Set(string name, object? value)
    {
        _parameters[name] = value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable fmt => fmt.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return this;
    }

    /// <summary>Adds an input file name and returns this for chaining.</summary>
    public Provenance AddInput(string path)
    {
        _inputs.Add(path);
        return this;
    }

    /// <summary>
    /// Records paths under <paramref name="stagingFolder"/> (a folder of outputs being built, see
    /// <see cref="OutputFolder"/>) as the same paths under <paramref name="finalFolder"/>, where they
    /// will be once committed: provenance never names a staging folder that no longer exists.
    /// Returns this for chaining.
    /// </summary>
    public Provenance Relocate(string stagingFolder, string finalFolder)
    {
        _relocations.Add((System.IO.Path.GetFullPath(stagingFolder).TrimEnd('/', '\\'), System.IO.Path.GetFullPath(finalFolder).TrimEnd('/', '\\')));
        return this;
    }

    /// <summary>
    /// <paramref name="path"/> as it is recorded: moved from a staging folder to its final place
    /// (see <see cref="Relocate"/>), otherwise unchanged.
    /// </summary>
    public string Recorded(string path)
    {
        if (_relocations.Count == 0 || string.IsNullOrEmpty(path)) return path;
        string full;
        try { full = System.IO.Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or System.IO.PathTooLongException) { return path; }
        foreach (var (from, to) in _relocations)
        {
            if (full == from) return to;
            if (full.Length > from.Length && full.StartsWith(from, StringComparison.Ordinal) && full[from.Length] is '/' or '\\')
                return to + full[from.Length..];
        }
        return path;
    }

    /// <summary>A copy with another command name (for derived outputs), keeping everything else.</summary>
    public Provenance Derive(string command)
    {
        var p = new Provenance(command) { ModelId = ModelId };
        foreach (var kv in _parameters) p._parameters[kv.Key] = kv.Value;
        p._inputs.AddRange(_inputs);
        p._relocations.AddRange(_relocations);
        return p;
    }

    /// <summary>The provenance as a JSON object.</summary>
    public JsonObject ToJsonObject()
    {
        var parameters = new JsonObject();
        foreach (var kv in _parameters) parameters[kv.Key] = Recorded(kv.Value);
        var inputs = new JsonArray();
        foreach (var i in _inputs) inputs.Add(Recorded(i));
        return new JsonObject
        {
            ["tool"] = Tool,
            ["version"] = Version,
            ["command"] = Command,
            ["model_id"] = ModelId,
            ["inputs"] = inputs,
            ["parameters"] = parameters,
        };
    }

    /// <summary>Compact one-line JSON.</summary>
    public string ToJson() => ToJsonObject().ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>
    /// Short text lines of at most <paramref name="width"/> ASCII characters (MRC labels are 10 × 80):
    /// the first names tool, version and command; the rest carry "key=value" pairs, in order, until full.
    /// When not all pairs fit, the last line ends with "+N more" (N pairs left out: the JSON sidecar of the
    /// output, or the JSON of the command, holds them all), so a truncated header does not look complete
    /// (with <paramref name="maxLines"/> 1 there is no room for pairs or the marker: the head alone).
    /// </summary>
    public IReadOnlyList<string> ToLines(int maxLines, int width = 80)
    {
        var lines = new List<List<string>>();
        string head = $"{Tool} {Version} {Command}" + (ModelId is null ? "" : $" model={ModelId}");
        var items = new List<string>(_parameters.Count);
        foreach (var kv in _parameters) items.Add(Ascii($"{kv.Key}={Recorded(kv.Value)}", width));
        int maxParameterLines = maxLines - 1; // the first line is the head
        var current = new List<string>();
        int length = 0, placed = 0;
        foreach (string item in items)
        {
            if (maxParameterLines <= 0) break;
            if (current.Count > 0 && length + 1 + item.Length > width)
            {
                if (lines.Count + 1 >= maxParameterLines) break; // the current line is the last there is room for
                lines.Add(current);
                current = new List<string>();
                length = 0;
            }
            length += (current.Count > 0 ? 1 : 0) + item.Length;
            current.Add(item);
            placed++;
        }
        if (current.Count > 0) lines.Add(current);
        if (placed < items.Count && lines.Count > 0)
        {
            // make room on the last line for the marker, giving back pairs from its end
            var last = lines[^1];
            while (last.Count > 0 && Joined(last).Length + 1 + More(items.Count - placed).Length > width)
            {
                last.RemoveAt(last.Count - 1);
                placed--;
            }
            last.Add(More(items.Count - placed));
        }
        var result = new List<string>(lines.Count + 1) { Ascii(head, width) };
        foreach (var line in lines) result.Add(Joined(line));
        return result;
    }

    private static string Joined(List<string> items) => string.Join(' ', items);

    private static string More(int n) => $"+{n} more";

    private static string Ascii(string s, int width)
    {
        var sb = new StringBuilder(Math.Min(s.Length, width));
        foreach (char c in s)
        {
            if (sb.Length == width) break;
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        return sb.ToString();
    }
}
