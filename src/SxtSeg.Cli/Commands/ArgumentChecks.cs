using System.CommandLine;

namespace SxtSeg.Cli.Commands;

/// <summary>
/// Checks on positional arguments (file and folder names). A positional argument takes any token the
/// parser does not recognise, so a mistyped option (<c>--z-smoth 1</c>) would otherwise become a
/// tomogram to read or a folder to write (<c>simulate --bogus</c> wrote a folder named "--bogus").
/// </summary>
internal static class ArgumentChecks
{
    /// <summary>
    /// Refuses, while the command line is parsed (one-line error, exit 2), a value that begins with
    /// '-' and is not an existing file or folder: an option this command does not have. A file whose
    /// name begins with '-' is given as ./-name.
    /// </summary>
    public static Argument<T> RefusingUnknownOptions<T>(this Argument<T> argument)
    {
        argument.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (!LooksLikeOption(token.Value) || File.Exists(token.Value) || Directory.Exists(token.Value)) continue;
                r.AddError($"{token.Value}: no such option (a file or folder whose name begins with '-' is given as ./{token.Value})");
                return;
            }
        });
        return argument;
    }

    /// <summary>True for "-x…" and "--x…"; false for "-" alone and for every other name.</summary>
    internal static bool LooksLikeOption(string value) => value.Length > 1 && value[0] == '-';
}
