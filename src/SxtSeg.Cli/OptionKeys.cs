using System.CommandLine;

namespace SxtSeg.Cli;

/// <summary>
/// Maps the keys of the library's setting errors (<see cref="InvalidOptionException.Option"/>, the
/// property name of a run's options, e.g. <c>Decimate</c>) to this command's option names
/// (<c>--decimate</c>): option names live in the CLI only. A key followed by a space and a qualifier
/// (<c>Set ice-thickness</c>, a simulation parameter) maps to the option's name followed by the same
/// qualifier (<c>--set ice-thickness</c>).
/// </summary>
internal sealed class OptionKeys
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>
    /// Maps <paramref name="key"/> to <paramref name="options"/>' names (several, joined by '/', for a
    /// setting any of them can give, e.g. <c>--pairs/--volume/--sim</c>).
    /// </summary>
    public OptionKeys Add(string key, params Option[] options)
    {
        _names[key] = string.Join('/', options.Select(o => o.Name));
        return this;
    }

    /// <summary>Runs <paramref name="check"/>; a setting error it throws names the option instead of the key.</summary>
    public void Check(Action check) => Check(() => { check(); return 0; });

    /// <summary>Runs <paramref name="work"/> and returns its result; a setting error it throws names the option instead of the key.</summary>
    public T Check<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (InvalidOptionException e) when (NameOf(e.Option) is { } name)
        {
            throw new InvalidOptionException(name, e.Problem);
        }
    }

    private string? NameOf(string key)
    {
        if (_names.TryGetValue(key, out string? name)) return name;
        int space = key.IndexOf(' ');
        return space > 0 && _names.TryGetValue(key[..space], out name) ? name + key[space..] : null;
    }
}
