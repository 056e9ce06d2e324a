using SxtSeg.Network;
using SxtSeg.Simulation;

namespace SxtSeg.Bench;

/// <summary>
/// Adds the training resolution (<see cref="TrainedResolution"/>: pixels per resolution element of
/// the annotated training simulations, from their truth.json) to the card of a model trained before
/// cards stated it; the weights, and so the id, are unchanged. Models trained since state it themselves.
/// Args: MODEL OUT SIM[,SIM...] (the model's training simulations, as its card lists them).
/// </summary>
public sealed class CardResolutionBench : IBenchmark
{
    public string Name => "card-resolution";

    public string Description => "add the training simulations' pixels per resolution element to an older model's card (MODEL OUT SIM[,SIM...])";

    public int Run(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: card-resolution MODEL OUT SIM[,SIM...]");
            return 2;
        }
        var px = new List<double>();
        foreach (string sim in args[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (SimulationResult.ReadResolution(sim) is not { } r)
            {
                Console.Error.WriteLine($"{sim}: truth.json states no resolution and voxel size");
                return 2;
            }
            px.Add(r.ResolutionNm / r.VoxelNm);
        }
        var res = TrainedResolution.FromSamples(px)!;
        var card = ModelFile.RewriteCard(args[0], args[1], c => c.ResolutionPx = res);
        Console.WriteLine($"{args[1]}: id {card.Id}, resolution {res}");
        return 0;
    }
}
