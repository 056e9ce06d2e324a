using System.Globalization;
using SxtSeg.Measurement;
using Spectre.Console;

namespace SxtSeg.Cli.Commands;

/// <summary>The console table of a measurement summary (mean ± SD and count per measure, 2D and 3D sections), shared by measure and filopodia.</summary>
internal static class SummaryTable
{
    /// <summary>Writes <paramref name="rows"/> under <paramref name="title"/>; <paramref name="things"/> names what the 2D means are over ("object", "filopodium").</summary>
    public static void Write(CliContext ctx, string title, IReadOnlyList<SummaryRow> rows, string things)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumn("Measure").AddColumn(new TableColumn("Mean ± SD").RightAligned()).AddColumn(new TableColumn("n").RightAligned());
        string? section = null;
        foreach (var r in rows)
        {
            if (r.Section != section)
            {
                section = r.Section;
                table.AddRow(new Markup($"[bold]{(section == "2D" ? $"2D (per-{things} mean over slices)" : "3D")}[/]"), new Text(""), new Text(""));
            }
            string unit = r.Unit.Length > 0 ? $" ({r.Unit})" : "";
            table.AddRow(Markup.Escape(r.Measure + unit), Markup.Escape(MeasurementTables.FormatMeanSd(r.Stats)), r.Stats.N.ToString(CultureInfo.InvariantCulture));
        }
        ctx.Out.Write(table);
    }
}
