namespace SxtSeg.Bench;

/// <summary>Entry point: <c>sxtseg-bench NAME [ARGS]</c>; lists benchmarks without arguments.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var all = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToList();
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: dotnet run --project bench/SxtSeg.Bench -c Release -- NAME [ARGS]");
            foreach (var b in all) Console.WriteLine($"  {b.Name,-20} {b.Description}");
            return args.Length == 0 ? 2 : 0;
        }
        var bench = all.FirstOrDefault(b => b.Name == args[0]);
        if (bench is null)
        {
            Console.Error.WriteLine($"unknown benchmark '{args[0]}'");
            return 2;
        }
        Console.WriteLine($"# {bench.Name} on {Environment.MachineName}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        return bench.Run(args[1..]);
    }
}
