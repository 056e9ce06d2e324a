namespace SxtSeg.Inference;

/// <summary>Which way a tomogram's grey values run.</summary>
public enum Polarity
{
    /// <summary>Detect it (<see cref="PolarityDetector"/>).</summary>
    Auto,
    /// <summary>Dense material (membranes, lipid, gold) has high values: reconstructed absorption, as the models are trained.</summary>
    DenseBright,
    /// <summary>Dense material has low values (inverted exports, transmission-like contrast): negated before normalisation.</summary>
    DenseDark,
}
