using SxtSeg.Volumes;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>Collects progress reports synchronously (Progress&lt;T&gt; posts them later), safe to report from several threads.</summary>
internal sealed class ProgressLog : IProgress<ProgressUpdate>
{
    private readonly List<ProgressUpdate> _items = new();

    /// <summary>A copy of the reports so far, in the order they arrived.</summary>
    public List<ProgressUpdate> Items { get { lock (_items) return _items.ToList(); } }

    /// <inheritdoc />
    public void Report(ProgressUpdate value) { lock (_items) _items.Add(value); }
}
