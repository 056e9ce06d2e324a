using System.CommandLine;

namespace SxtSeg.Cli;

/// <summary>
/// Maps the keys of the library's setting errors (<see cref="InvalidOptionException.Option"/>, the
/// property name of a run's options, e.g. <c>Decimate</c>) to this command's option names
/// (<c>--decimate</c>): option names live in the CLI only.
/// </summary>
internal sealed class OptionKeys
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>Maps <paramref name="key"/> to <paramref name="option"/>'s name.</summary>
    public OptionKeys Add(string key, Option option)
    {
        _names[key] = option.Name;
        return this;
    }

    /// <summary>Runs <paramref name="check"/>; a setting error it throws names the option instead of the key.</summary>
    public void Check(Action check)
    {
        try
        {
            check();
        }
        catch (InvalidOptionException e) when (_names.TryGetValue(e.Option, out string? name))
        {
            throw new InvalidOptionException(name, e.Problem);
        }
    }
}
