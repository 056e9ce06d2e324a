using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>Weight initialisation as in the authors' Keras code.</summary>
internal static class Init
{
    /// <summary>
    /// Keras "he_uniform": U(−√(6/fan_in), √(6/fan_in)) with fan_in = input channels × kernel area
    /// (for a transposed convolution, output channels × kernel area, as Keras computes it); biases 0.
    /// Draws from the global torch generator, which <see cref="DeepSxtNet"/> seeds.
    /// </summary>
    public static void HeUniform(Tensor weight, Tensor? bias)
    {
        using (no_grad())
        {
            nn.init.kaiming_uniform_(weight, a: 0, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
            if (bias is not null) nn.init.zeros_(bias);
        }
    }
}
