using SxtSeg.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace SxtSeg.Network;

/// <summary>
/// Runs the label path of a trained model on batches of normalised tiles: the entry point of the
/// segmentation stage. Load it once with <see cref="Load"/>, normalise each slice with
/// <see cref="Normalisation"/> (<see cref="SliceNormalization.Apply"/>), cut tiles whose height and
/// width are multiples of 16, and call <see cref="Predict(ReadOnlySpan{float}, int, int, int, Span{float})"/>
/// per batch; the outputs are tanh values in [−1, 1] (> 0 = membrane). Each batch runs in its own
/// dispose scope under inference mode, so memory stays flat over any number of batches.
/// Not thread-safe: use one predictor per thread (libtorch already uses <see cref="InferenceOptions.Threads"/> cores).
/// </summary>
public sealed class LabelPredictor : IDisposable
{
    private readonly SegmentationNetwork _net;
    private readonly Device _device;
    private readonly ScalarType _dtype;
    private bool _disposed;

    private LabelPredictor(SegmentationNetwork net, ModelCard card, InferenceOptions options)
    {
        if (!card.Network.Equals(net.Architecture)) throw new ArgumentException($"card architecture {card.Network} differs from the network's {net.Architecture}", nameof(card));
        NativeHeap.Configure();
        TorchRuntime.SetThreads(options.Threads);
        _device = TorchRuntime.Resolve(options.Device);
        _dtype = options.Precision == InferencePrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
        _net = net;
        _net.eval();
        if (_device.type != DeviceType.CPU) _net.to(_device);
        if (_dtype != ScalarType.Float32) _net.to(_dtype);
        if (options.FoldBatchNorm) _net.FoldBatchNorm();
        Card = card;
        Options = options;
    }

    /// <summary>Loads a model file; throws <see cref="InvalidInputException"/> for missing, corrupt or foreign files.</summary>
    public static LabelPredictor Load(string modelPath, InferenceOptions? options = null)
    {
        var (net, card) = ModelFile.Load(modelPath);
        return new LabelPredictor(net, card, options ?? new InferenceOptions());
    }

    /// <summary>Loads the polarity referee a model file carries (<see cref="ModelFile.AttachReferee"/>), or null when it has none.</summary>
    public static LabelPredictor? LoadReferee(string modelPath, InferenceOptions? options = null)
        => ModelFile.LoadReferee(modelPath) is { } r ? new LabelPredictor(r.Net, r.Card, options ?? new InferenceOptions()) : null;

    /// <summary>Wraps an in-memory network (takes ownership of it; it is switched to eval mode and may be modified).</summary>
    public static LabelPredictor FromNetwork(SegmentationNetwork net, ModelCard card, InferenceOptions? options = null)
        => new(net, card, options ?? new InferenceOptions());

    /// <summary>The model's card (architecture, width, training summary, metrics).</summary>
    public ModelCard Card { get; }

    /// <summary>How the predictor runs.</summary>
    public InferenceOptions Options { get; }

    /// <summary>Model id (content hash of the weights), for provenance.</summary>
    public string ModelId => Card.Id;

    /// <summary>Deep-SXT base width m (U-Net: full-resolution width).</summary>
    public int Width => Card.Width;

    /// <summary>The network's architecture (family and configuration).</summary>
    public NetworkArchitecture Architecture => Card.Network;

    /// <summary>Preset name ("small", "paper", ... or "custom").</summary>
    public string Preset => Card.Preset;

    /// <summary>The normalisation to apply to every slice before tiling.</summary>
    public SliceNormalization Normalisation => Card.Normalisation;

    /// <summary>Voxel size of the training data in nm, if known (rescale inputs of very different voxel size).</summary>
    public VoxelSize? VoxelSize => Card.VoxelSize;

    /// <summary>Tile height and width must be multiples of this.</summary>
    public int SizeMultiple => _net.InputMultiple;

    /// <summary>Planes per tile: 1, or the 2c + 1 neighbouring slices of a model with context c (<see cref="UNetConfig.Context"/>).</summary>
    public int InputChannels => _net.InputChannels;

    /// <summary>Convolution FLOPs per pixel of the label path.</summary>
    public double FlopsPerPixel => _net.LabelPathFlopsPerPixel;

    /// <summary>
    /// Runs <paramref name="count"/> tiles of <paramref name="height"/> × <paramref name="width"/>
    /// (row-major, tile after tile, already normalised; each tile <see cref="InputChannels"/> planes,
    /// the neighbouring slices in z order) and writes the tanh label outputs to
    /// <paramref name="output"/> (one plane per tile).
    /// </summary>
    public void Predict(ReadOnlySpan<float> input, int count, int height, int width, Span<float> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count < 1 || height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(count), $"need at least one tile of positive size, got {count} × {height} × {width}");
        if (height % SizeMultiple != 0 || width % SizeMultiple != 0)
            throw new ArgumentException($"tile size {height} × {width} is not a multiple of {SizeMultiple}", nameof(height));
        long n = (long)count * height * width;
        int channels = InputChannels;
        if (input.Length != n * channels)
            throw new ArgumentException($"input holds {input.Length} values, expected {count} × {(channels > 1 ? $"{channels} × " : "")}{height} × {width}", nameof(input));
        if (output.Length != n) throw new ArgumentException($"output holds {output.Length} values, expected {n}", nameof(output));
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var x = empty(new long[] { count, channels, height, width }, float32);
        using (var acc = x.data<float>()) acc.CopyFrom(input);
        if (_device.type != DeviceType.CPU) x = x.to(_device);
        if (_dtype != ScalarType.Float32) x = x.to(_dtype);
        if (Options.ChannelsLast) x = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var y = _net.forward(x);
        if (_dtype != ScalarType.Float32) y = y.to(float32);
        if (_device.type != DeviceType.CPU) y = y.cpu();
        y = y.contiguous();
        using (var acc = y.data<float>()) acc.CopyTo(output);
    }

    /// <summary>
    /// As <see cref="Predict(ReadOnlySpan{float}, int, int, int, Span{float})"/>, mapped to membrane
    /// probabilities p = (tanh + 1) / 2 in [0, 1] (the published threshold tanh &gt; 0 is p &gt; 0.5);
    /// the form <c>SxtSeg.Inference.ITilePredictor</c> expects.
    /// </summary>
    public void PredictProbabilities(ReadOnlySpan<float> input, int count, int height, int width, Span<float> probabilities)
    {
        Predict(input, count, height, width, probabilities);
        for (int i = 0; i < probabilities.Length; i++) probabilities[i] = 0.5f * (probabilities[i] + 1f);
    }

    /// <summary>As <see cref="Predict(ReadOnlySpan{float}, int, int, int, Span{float})"/>, returning a new array.</summary>
    public float[] Predict(ReadOnlySpan<float> input, int count, int height, int width)
    {
        var output = new float[(long)count * height * width];
        Predict(input, count, height, width, output);
        return output;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _net.Dispose();
    }
}
