namespace SxtSeg.Network;

/// <summary>
/// The stored sections of a polarity referee (its card and weights, as <see cref="ModelFile.AttachReferee"/>
/// embeds them), carried unchanged from a model to the models and checkpoints trained from it.
/// </summary>
/// <param name="Card">The referee's card, UTF-8 JSON.</param>
/// <param name="Weights">The referee's weights.</param>
public sealed record ModelReferee(byte[] Card, byte[] Weights)
{
    /// <summary>The referee as the card and weights sections of a model file of its own.</summary>
    internal Dictionary<string, byte[]> Sections => new() { [ModelFile.CardSection] = Card, [ModelFile.WeightsSection] = Weights };

    /// <summary>Appends the two sections.</summary>
    internal void AddTo(List<KeyValuePair<string, byte[]>> sections)
    {
        sections.Add(new(ModelFile.RefereeCardSection, Card));
        sections.Add(new(ModelFile.RefereeWeightsSection, Weights));
    }
}
