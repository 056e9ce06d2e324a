namespace SxtSeg.Cli.Commands;

/// <summary>Checks of input files that are not volumes (JSON, models), made before any work.</summary>
internal static class InputFiles
{
    /// <summary>Largest side file (truth.json, sidecars) read whole.</summary>
    public const long MaxSideFileBytes = 256L << 20;

    /// <summary>A readable regular file of at most <see cref="MaxSideFileBytes"/>; <paramref name="what"/> names it in the error.</summary>
    public static void RequireSmallFile(string path, string what)
    {
        InputPaths.RequireReadable(path);
        long length = new FileInfo(path).Length;
        if (length > MaxSideFileBytes)
            throw new InvalidInputException(path, $"is {MemoryBudget.Size(length)}, too large for {what} (at most {MemoryBudget.Size(MaxSideFileBytes)})");
    }
}
