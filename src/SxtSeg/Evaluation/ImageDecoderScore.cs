namespace SxtSeg.Evaluation;

/// <summary>How well the image decoder reconstructs its input (the paper's image metrics).</summary>
/// <param name="Ssim">Mean SSIM (11 × 11 Gaussian window, σ 1.5; range = max − min of the standardised tile).</param>
/// <param name="WithinOneStd">Fraction of pixels with |input − reconstruction| ≤ std(input) (= 1 after z-scoring).</param>
/// <param name="Tiles">Tiles evaluated.</param>
public readonly record struct ImageDecoderScore(double Ssim, double WithinOneStd, int Tiles);
