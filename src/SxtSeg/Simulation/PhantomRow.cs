namespace SxtSeg.Simulation;

/// <summary>
/// Buffers for one rendered row (an x–z plane at fixed y): the LAC over the whole simulated
/// width, and the labels over the field of view. One per thread.
/// </summary>
public sealed class PhantomRow
{
    /// <summary>Allocates buffers for <paramref name="phantom"/>.</summary>
    public PhantomRow(Phantom phantom)
    {
        Width = phantom.Width;
        Nx = phantom.Nx;
        Nz = phantom.Nz;
        Lac = new float[Nz * Width];
        Membranes = new byte[Nz * Nx];
        Classes = new byte[Nz * Nx];
        Instances = new ushort[Nz * Nx];
        Dist = new float[Nz * Width];
        Body = new float[Nz * Width];
        Owner = new int[Nz * Width];
        Scratch = new float[Nz * Width];
        ColS = new double[Width];
        ColH = new double[Width];
        ColG = new double[Width];
    }

    /// <summary>Simulated width (field of view plus margins).</summary>
    public int Width { get; }

    /// <summary>Field of view width.</summary>
    public int Nx { get; }

    /// <summary>Slices.</summary>
    public int Nz { get; }

    /// <summary>LAC (1/µm) at [z·Width + x + margin].</summary>
    public float[] Lac { get; }

    /// <summary>
    /// Membrane label codes at [z·Nx + x], a bit set: <see cref="PhantomRenderer.VisibleMembrane"/>,
    /// <see cref="PhantomRenderer.HiddenMembrane"/> and <see cref="PhantomRenderer.IgnoreBand"/>
    /// (0 = plain background). A voxel is membrane when bit 1 or 2 is set, and ignored when it is
    /// not a visible membrane but any other bit is set.
    /// </summary>
    public byte[] Membranes { get; }

    /// <summary>Class ids at [z·Nx + x].</summary>
    public byte[] Classes { get; }

    /// <summary>Instance ids at [z·Nx + x].</summary>
    public ushort[] Instances { get; }

    internal float[] Dist { get; }
    internal float[] Body { get; }
    internal int[] Owner { get; }
    internal float[] Scratch { get; }
    internal double[] ColS { get; }
    internal double[] ColH { get; }
    internal double[] ColG { get; }
}
