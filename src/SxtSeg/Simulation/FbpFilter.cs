namespace SxtSeg.Simulation;

/// <summary>Apodising window applied to the ramp filter of weighted back-projection.</summary>
public enum FbpFilter
{
    /// <summary>Plain ramp (Ram-Lak), sharpest and noisiest.</summary>
    Ramp,
    /// <summary>Ramp × Hamming window (0.54 + 0.46 cos 2πf).</summary>
    Hamming,
    /// <summary>Ramp × Hann window (0.5 + 0.5 cos 2πf).</summary>
    Hann,
    /// <summary>Ramp × sinc (Shepp–Logan).</summary>
    SheppLogan,
    /// <summary>Ramp × cosine.</summary>
    Cosine,
}
