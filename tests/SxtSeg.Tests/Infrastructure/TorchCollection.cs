namespace SxtSeg.Tests.Infrastructure;

/// <summary>
/// Tests touching TorchSharp run in this collection, one at a time, so dispose-scope statistics
/// are per-thread and not disturbed by other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "torch";
}
