using System.Globalization;
using SxtSeg.Morphology;
using SxtSeg.Volumes;

namespace SxtSeg.Measurement.Filopodia;

/// <summary>A cell-body mask made from a tomogram by a body model (<see cref="CellBody.FromTomogram"/>).</summary>
/// <param name="Mask">The mask at the tomogram's size (1 = cell body), streamed slice by slice from the binned result.</param>
/// <param name="Binned">The cleaned mask at the binned size (1 = cell body).</param>
/// <param name="Probability">The model's probabilities at the binned size.</param>
/// <param name="Factor">Bin factor in x and y.</param>
/// <param name="Threshold">Probability threshold used.</param>
/// <param name="ModelId">The body model's id.</param>
/// <param name="MinComponentFraction">Components smaller than this fraction of the largest were dropped.</param>
public sealed record CellBodyResult(IMaskStream Mask, Volume<byte> Binned, Volume<float> Probability, int Factor, double Threshold, string ModelId, double MinComponentFraction)
{
    /// <summary>One sentence for provenance and the outputs' rule.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"cell body from the tomogram by body model {ModelId}: x–y slices binned {Factor} × {Factor}, p > {Threshold:0.###}, components ≥ {100 * MinComponentFraction:0.#} % of the largest kept, holes filled per slice, upsampled bilinearly");
}
