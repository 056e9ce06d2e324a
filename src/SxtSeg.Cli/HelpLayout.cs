using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;
using System.Text;

namespace SxtSeg.Cli;

/// <summary>
/// The help of every command: usage, description, arguments, everyday options, expert options,
/// the global options, examples and notes. Options not listed as everyday are expert. Old option
/// names kept as aliases (<see cref="OldNames"/>) still parse, print a warning saying the new
/// name, and are left out of the help.
/// </summary>
public static class HelpLayout
{
    private sealed class Layout
    {
        public HashSet<string> Everyday { get; } = new(StringComparer.Ordinal);
        public bool EverydayGiven { get; set; }
        public List<(string Command, string Note)> Examples { get; } = new();
        public List<string> Notes { get; } = new();
    }

    private static readonly ConditionalWeakTable<Command, Layout> Layouts = new();
    private static readonly ConditionalWeakTable<Option, List<string>> Old = new();

    private static Layout Of(Command c) => Layouts.GetValue(c, _ => new Layout());

    /// <summary>Names the everyday options of <paramref name="command"/> (by name, with dashes); the others are shown as expert options.</summary>
    public static Command Everyday(this Command command, params string[] names)
    {
        var l = Of(command);
        l.EverydayGiven = true;
        foreach (string n in names) l.Everyday.Add(n);
        return command;
    }

    /// <summary>Adds an example: a command line and what it does.</summary>
    public static Command Example(this Command command, string commandLine, string note)
    {
        Of(command).Examples.Add((commandLine, note));
        return command;
    }

    /// <summary>Adds a paragraph after the examples.</summary>
    public static Command Note(this Command command, string text)
    {
        Of(command).Notes.Add(text);
        return command;
    }

    /// <summary>The examples of a command (tests check every command has some).</summary>
    public static IReadOnlyList<(string Command, string Note)> ExamplesOf(Command command) => Of(command).Examples;

    /// <summary>Keeps <paramref name="oldNames"/> working as hidden aliases of <paramref name="option"/> (renamed options).</summary>
    public static T OldNames<T>(this T option, params string[] oldNames) where T : Option
    {
        var list = Old.GetValue(option, _ => new List<string>());
        foreach (string n in oldNames)
        {
            option.Aliases.Add(n);
            list.Add(n);
        }
        return option;
    }

    /// <summary>True when <paramref name="alias"/> is an old name of <paramref name="option"/>.</summary>
    public static bool IsOldName(Option option, string alias) => Old.TryGetValue(option, out var l) && l.Contains(alias);

    /// <summary>Replaces the built-in help of <paramref name="root"/> and its subcommands with <see cref="Write"/>.</summary>
    public static void Install(RootCommand root, IReadOnlyList<Option> globals)
    {
        foreach (var o in root.Options)
            if (o is System.CommandLine.Help.HelpOption h) h.Action = new Action(globals);
    }

    /// <summary>True when the command line asks for help (which is shown even when required arguments are missing).</summary>
    public static bool IsHelp(ParseResult parse) => parse.Action is Action;

    private sealed class Action(IReadOnlyList<Option> globals) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.Write(Write(parseResult.CommandResult.Command, globals));
            return 0;
        }
    }

    /// <summary>The help text of <paramref name="command"/>.</summary>
    public static string Write(Command command, IReadOnlyList<Option> globals)
    {
        var sb = new StringBuilder();
        var path = new List<string>();
        for (Symbol? s = command; s is Command c && s is not RootCommand; s = c.Parents.FirstOrDefault()) path.Insert(0, c.Name);
        string name = "sxtseg" + (path.Count > 0 ? " " + string.Join(' ', path) : "");
        var args = command.Arguments.Where(a => !a.Hidden).ToList();
        var required = command.Options.Where(o => o.Required && !o.Hidden).ToList();
        var usage = new StringBuilder(name);
        if (command.Subcommands.Count > 0) usage.Append(" <command>");
        foreach (var a in args) usage.Append(' ').Append(ArgumentUsage(a));
        foreach (var o in required) usage.Append(' ').Append(o.Name).Append(' ').Append(ValueName(o));
        if (command.Options.Any(o => !o.Required && !o.Hidden && o is not System.CommandLine.Help.HelpOption && o is not VersionOption)) usage.Append(" [options]");
        sb.Append("Usage: ").Append(usage).Append("\n\n");
        if (!string.IsNullOrEmpty(command.Description)) sb.Append(Wrap(command.Description!, 0)).Append("\n\n");

        if (command.Subcommands.Count > 0)
        {
            sb.Append("Commands:\n");
            var rows = command.Subcommands.Where(c => !c.Hidden).Select(c => (c.Name, c.Description ?? "")).ToList();
            Table(sb, rows);
            sb.Append('\n');
        }
        if (args.Count > 0)
        {
            sb.Append("Arguments:\n");
            Table(sb, args.Select(a => (ArgumentUsage(a), a.Description ?? "")).ToList());
            sb.Append('\n');
        }
        var layout = Of(command);
        var own = command.Options.Where(o => !o.Hidden && !globals.Contains(o) && o is not System.CommandLine.Help.HelpOption && o is not VersionOption).ToList();
        var everyday = own.Where(o => o.Required || !layout.EverydayGiven || layout.Everyday.Contains(o.Name)).ToList();
        var expert = own.Except(everyday).ToList();
        if (everyday.Count > 0)
        {
            sb.Append("Options:\n");
            Table(sb, everyday.Select(Row).ToList());
            sb.Append('\n');
        }
        if (expert.Count > 0)
        {
            sb.Append("Expert options (defaults suit most tomograms):\n");
            Table(sb, expert.Select(Row).ToList());
            sb.Append('\n');
        }
        sb.Append("Global options:\n");
        var g = globals.Select(Row).ToList();
        g.Add(("-h, --help", "Show this help"));
        if (command is RootCommand) g.Add(("--version", "Show the version"));
        Table(sb, g);
        if (layout.Examples.Count > 0)
        {
            sb.Append("\nExamples:\n");
            foreach (var (line, note) in layout.Examples)
            {
                sb.Append("  ").Append(line).Append('\n');
                sb.Append(Wrap(note, 6)).Append('\n');
            }
        }
        foreach (string n in layout.Notes) sb.Append('\n').Append(Wrap(n, 0)).Append('\n');
        return sb.ToString();
    }

    private static (string, string) Row(Option o)
    {
        var names = new List<string>();
        foreach (string a in o.Aliases.OrderBy(a => a.Length))
            if (a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal) && !IsOldName(o, a)) names.Add(a);
        names.Add(o.Name);
        string left = string.Join(", ", names);
        string value = ValueName(o);
        if (value.Length > 0) left += " " + value;
        string text = o.Description ?? "";
        if (o.Required) text += " (required)";
        else if (o.HasDefaultValue && o.ValueType != typeof(bool))
        {
            object? d = o.GetDefaultValue();
            string shown = d switch
            {
                null => "",
                string s => s,
                string[] a => string.Join(" ", a),
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => d.ToString() ?? "",
            };
            if (shown.Length > 0) text += $" [default: {shown}]";
        }
        return (left, text);
    }

    private static string ValueName(Option o)
    {
        if (o.ValueType == typeof(bool) || o.ValueType == typeof(bool?)) return "";
        if (!string.IsNullOrEmpty(o.HelpName)) return "<" + o.HelpName + ">";
        var t = Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType;
        if (t == typeof(int) || t == typeof(long)) return "<N>";
        if (t == typeof(double) || t == typeof(float)) return "<X>";
        return "<" + o.Name.TrimStart('-').ToUpperInvariant() + ">";
    }

    private static string ArgumentUsage(Argument a)
    {
        string n = "<" + (string.IsNullOrEmpty(a.HelpName) ? a.Name : a.HelpName) + ">";
        if (a.Arity.MaximumNumberOfValues > 1) n += "...";
        return a.Arity.MinimumNumberOfValues == 0 ? "[" + n + "]" : n;
    }

    private const int Width = 100;

    private static void Table(StringBuilder sb, List<(string Left, string Right)> rows)
    {
        int col = Math.Min(32, rows.Select(r => r.Left.Length).DefaultIfEmpty(0).Max() + 4);
        foreach (var (left, right) in rows)
        {
            string head = "  " + left;
            if (head.Length + 2 > col)
            {
                sb.Append(head).Append('\n').Append(Wrap(right, col)).Append('\n');
                continue;
            }
            string body = Wrap(right, col);
            sb.Append(head.PadRight(col)).Append(body.Length >= col ? body[col..] : "").Append('\n');
        }
    }

    private static string Wrap(string text, int indent)
    {
        var lines = new List<string>();
        var line = new StringBuilder(new string(' ', indent));
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > indent && line.Length + 1 + word.Length > Width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(' ', indent);
            }
            if (line.Length > indent) line.Append(' ');
            line.Append(word);
        }
        lines.Add(line.ToString());
        return string.Join('\n', lines);
    }
}
