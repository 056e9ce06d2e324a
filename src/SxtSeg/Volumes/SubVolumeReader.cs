namespace SxtSeg.Volumes;

/// <summary>A view of slices [first, first+count) of another reader as a volume of its own (origin shifted in z).</summary>
public sealed class SubVolumeReader : VolumeReaderBase
{
    private readonly IVolumeReader _inner;
    private readonly int _first;
    private readonly bool _ownsInner;

    /// <summary>
    /// Wraps <paramref name="inner"/> (disposed with this view only when <paramref name="ownsInner"/>),
    /// optionally with another voxel size, or with none when <paramref name="dropVoxelSize"/> and none is given.
    /// </summary>
    public SubVolumeReader(IVolumeReader inner, int first, int count, VoxelSize? voxelSize = null, bool ownsInner = false, bool dropVoxelSize = false)
    {
        var i = inner.Info;
        if (first < 0 || count < 1 || first + count > i.Nz) throw new ArgumentOutOfRangeException(nameof(first), $"slices {first}..{first + count - 1} outside 0..{i.Nz - 1}");
        _inner = inner;
        _first = first;
        _ownsInner = ownsInner;
        var vs = voxelSize ?? (dropVoxelSize ? null : i.VoxelSize);
        Info = i with { Nz = count, VoxelSize = vs, OriginNm = (i.OriginNm.X, i.OriginNm.Y, i.OriginNm.Z + first * (vs?.Z ?? 0)) };
    }

    /// <inheritdoc />
    public override string Path => _inner.Path;

    /// <inheritdoc />
    public override VolumeInfo Info { get; }

    /// <inheritdoc />
    public override void ReadRawSlice(int z, Span<byte> dest) => _inner.ReadRawSlice(_first + Check(z), dest);

    /// <inheritdoc />
    public override void ReadSlice<T>(int z, Span<T> dest) => _inner.ReadSlice(_first + Check(z), dest);

    private int Check(int z) => (uint)z < (uint)Info.Nz ? z : throw new ArgumentOutOfRangeException(nameof(z), $"slice {z} is outside the view's 0..{Info.Nz - 1}");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsInner) _inner.Dispose();
    }
}
