using System.Globalization;
using System.Net;
using System.Text;

namespace SxtSeg.Reporting;

/// <summary>
/// Builds a single self-contained HTML report: every image embedded as a data URI, inline CSS, no
/// network access. A small inline script marks the page when all images have loaded
/// (<c>body[data-report-ok]</c>), which the headless-browser test checks.
/// </summary>
public sealed class HtmlReport
{
    private readonly StringBuilder _body = new();
    private readonly List<(string Id, string Title)> _toc = new();
    private int _images;

    /// <summary>Starts a report.</summary>
    public HtmlReport(string title, string? subtitle = null)
    {
        Title = title;
        Subtitle = subtitle;
    }

    /// <summary>Page title.</summary>
    public string Title { get; }

    /// <summary>Line under the title.</summary>
    public string? Subtitle { get; }

    /// <summary>Number of images embedded so far.</summary>
    public int ImageCount => _images;

    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Starts a new section (closing the previous one).</summary>
    public HtmlReport Section(string title)
    {
        if (_toc.Count > 0) _body.Append("</section>\n");
        string id = "s" + (_toc.Count + 1).ToString(CultureInfo.InvariantCulture);
        _toc.Add((id, title));
        _body.Append(CultureInfo.InvariantCulture, $"<section id=\"{id}\"><h2>{E(title)}</h2>\n");
        return this;
    }

    /// <summary>A paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(E(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A highlighted note (e.g. a warning about the data).</summary>
    public HtmlReport Note(string text, bool warning = false)
    {
        _body.Append(warning ? "<p class=\"note warn\">" : "<p class=\"note\">").Append(E(text)).Append("</p>\n");
        return this;
    }

    /// <summary>One figure: a PNG with a caption.</summary>
    public HtmlReport Image(byte[] png, string caption, int maxWidth = 900)
    {
        _body.Append("<figure>").Append(Img(png, caption, maxWidth)).Append("<figcaption>").Append(E(caption)).Append("</figcaption></figure>\n");
        return this;
    }

    /// <summary>Several figures side by side (wrapping on narrow screens).</summary>
    public HtmlReport Gallery(IEnumerable<(byte[] Png, string Caption)> images, int width = 300)
    {
        _body.Append("<div class=\"gallery\">");
        foreach (var (png, caption) in images)
            _body.Append("<figure>").Append(Img(png, caption, width)).Append("<figcaption>").Append(E(caption)).Append("</figcaption></figure>");
        _body.Append("</div>\n");
        return this;
    }

    private string Img(byte[] png, string alt, int maxWidth)
    {
        if (png.Length == 0) throw new ArgumentException("empty image", nameof(png));
        _images++;
        return $"<img alt=\"{E(alt)}\" style=\"max-width:{maxWidth}px\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
    }

    /// <summary>A table; cells that parse as numbers are right-aligned.</summary>
    public HtmlReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? caption = null)
    {
        _body.Append("<table>");
        if (caption is not null) _body.Append("<caption>").Append(E(caption)).Append("</caption>");
        _body.Append("<thead><tr>");
        foreach (var h in headers) _body.Append("<th>").Append(E(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var c in row)
            {
                bool num = c.Length > 0 && (char.IsDigit(c[0]) || c[0] is '-' or '+' or '.' or '−') && c.Any(char.IsDigit);
                _body.Append(num ? "<td class=\"num\">" : "<td>").Append(E(c)).Append("</td>");
            }
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>A two-column key/value table.</summary>
    public HtmlReport KeyValues(IEnumerable<(string Key, string Value)> pairs, string? caption = null)
        => Table(new[] { "", "" }, pairs.Select(p => (IReadOnlyList<string>)new[] { p.Key, p.Value }), caption);

    /// <summary>Preformatted text (provenance JSON, commands).</summary>
    public HtmlReport Code(string text)
    {
        _body.Append("<pre>").Append(E(text)).Append("</pre>\n");
        return this;
    }

    /// <summary>The complete HTML document.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(E(Title)).Append("</title>\n<style>").Append(Css).Append("</style></head>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<body data-images=\"{_images}\">\n<header><h1>{E(Title)}</h1>");
        if (Subtitle is not null) sb.Append("<p class=\"sub\">").Append(E(Subtitle)).Append("</p>");
        sb.Append("</header>\n<nav><ol>");
        foreach (var (id, title) in _toc) sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{id}\">{E(title)}</a></li>");
        sb.Append("</ol></nav>\n<main>\n").Append(_body);
        if (_toc.Count > 0) sb.Append("</section>\n");
        sb.Append("</main>\n<footer>").Append(E(ToolInfo.NameAndVersion)).Append(" — self-contained report, no network access needed.</footer>\n");
        sb.Append(Script);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the document atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, Render());

    private const string Script = """
<script>
window.addEventListener('load', function () {
  var imgs = document.images, ok = 0;
  for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
  document.body.setAttribute('data-report-ok', ok + '/' + imgs.length);
});
</script>
""";

    private const string Css = """
:root { --fg:#1d2330; --muted:#5b6475; --accent:#b3261e; --line:#dde2ea; --bg:#f7f8fa; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color:var(--fg); background:var(--bg); }
header { background:#1d2330; color:#fff; padding:22px 40px 16px; }
header h1 { margin:0; font-size:26px; font-weight:600; letter-spacing:.2px; }
header .sub { margin:6px 0 0; color:#c9cfdb; }
nav { background:#fff; border-bottom:1px solid var(--line); padding:8px 40px; position:sticky; top:0; z-index:1; }
nav ol { margin:0; padding:0; list-style:none; display:flex; flex-wrap:wrap; gap:6px 18px; }
nav a { color:var(--muted); text-decoration:none; font-size:14px; }
nav a:hover { color:var(--accent); }
main { max-width:1180px; margin:0 auto; padding:10px 40px 40px; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:8px 24px 18px; margin:18px 0; }
h2 { font-size:19px; margin:12px 0 10px; color:#11151f; border-bottom:2px solid var(--accent); display:inline-block; padding-bottom:2px; }
figure { margin:10px 0 14px; }
figure img { display:block; width:100%; height:auto; border:1px solid var(--line); border-radius:4px; background:#000; image-rendering:auto; }
figcaption { color:var(--muted); font-size:13px; margin-top:4px; }
.gallery { display:flex; flex-wrap:wrap; gap:14px; }
.gallery figure { flex:1 1 260px; max-width:360px; margin:0; }
table { border-collapse:collapse; margin:10px 0 16px; font-size:14px; min-width:50%; }
caption { text-align:left; color:var(--muted); font-size:13px; padding-bottom:4px; }
th, td { border-bottom:1px solid var(--line); padding:5px 12px; text-align:left; }
th { background:#eef1f6; font-weight:600; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
tr:hover td { background:#fafbfd; }
pre { background:#0f1420; color:#d7dcea; padding:12px 14px; border-radius:6px; overflow:auto; font-size:12.5px; }
.note { background:#eef4ff; border-left:4px solid #3b6fd8; padding:8px 12px; }
.note.warn { background:#fff4e5; border-left-color:#e08a00; }
footer { text-align:center; color:var(--muted); font-size:12px; padding:18px; }
""";
}
