using System.Globalization;
using System.Text;
using BitMiracle.LibTiff.Classic;

namespace SxtSeg.Volumes;

/// <summary>
/// Writes an ImageJ-compatible TIFF stack slice by slice: one page per slice, ImageJ description
/// (images, slices, unit=nm, spacing), X/YResolution in pixels per nm, provenance in the
/// description and Software tag. BigTIFF is used automatically when the data exceed 4 GB.
/// Uncompressed stacks are laid out as ImageJ writes and reads them: all image data contiguous,
/// the page directories after it (ImageJ and tifffile read an "images=N" stack as one block of data
/// from the first page on). Compressed stacks carry no images=N, so that ImageJ reads every page.
/// </summary>
public sealed class TiffWriter : IVolumeWriter
{
    private readonly AtomicFile _file;
    private readonly Tiff? _tiff;
    private readonly ContiguousTiff? _contiguous;
    private readonly byte[] _buffer;
    private readonly string _description;
    private readonly Compression _compression;
    private bool _closed;

    /// <summary>Starts a file at <paramref name="path"/>; nothing appears there until <see cref="Commit"/>.</summary>
    public TiffWriter(string path, VolumeInfo info, Provenance? provenance = null, TiffCompression compression = TiffCompression.None)
        : this(path, info, provenance, compression, interleaved: false)
    {
    }

    /// <summary>
    /// With <paramref name="interleaved"/>, uncompressed pages are written as LibTiff lays them out
    /// (data, directory, data, directory ...) with images=N: the layout other tools write, which
    /// ImageJ misreads; kept for the reader's tests.
    /// </summary>
    internal TiffWriter(string path, VolumeInfo info, Provenance? provenance, TiffCompression compression, bool interleaved)
    {
        TiffMessages.Install();
        Path = path;
        Info = info;
        _compression = compression switch
        {
            TiffCompression.Lzw => Compression.LZW,
            TiffCompression.Deflate => Compression.ADOBE_DEFLATE,
            TiffCompression.PackBits => Compression.PACKBITS,
            _ => Compression.NONE,
        };
        _description = BuildDescription(info, provenance, stackLayout: _compression == Compression.NONE);
        bool contiguous = _compression == Compression.NONE && !interleaved;
        _buffer = GC.AllocateUninitializedArray<byte>(checked((int)(info.SliceLength * info.Type.Size())));
        bool big = info.DataBytes + 64L * 1024 * info.Nz > uint.MaxValue - (1L << 20);
        _file = AtomicFile.Create(path);
        Provenance = provenance;
        if (contiguous)
        {
            _contiguous = new ContiguousTiff(_file.Stream, info, _description, big);
            return;
        }
        var t = Tiff.ClientOpen(path, big ? "w8" : "w", _file.Stream, new KeepOpenTiffStream());
        if (t is null)
        {
            _file.Dispose();
            throw new OutputException(path, $"cannot start TIFF ({TiffMessages.TakeLast("unknown error")})");
        }
        _tiff = t;
        Provenance = provenance;
    }

    /// <summary>The provenance written into the file.</summary>
    public Provenance? Provenance { get; }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public VolumeInfo Info { get; }

    /// <inheritdoc />
    public int SlicesWritten { get; private set; }

    private static string BuildDescription(VolumeInfo info, Provenance? provenance, bool stackLayout)
    {
        var sb = new StringBuilder();
        sb.Append("ImageJ=1.11a\n");
        if (stackLayout)
        {
            sb.Append(CultureInfo.InvariantCulture, $"images={info.Nz}\n");
            if (info.Nz > 1) sb.Append(CultureInfo.InvariantCulture, $"slices={info.Nz}\n");
        }
        if (info.VoxelSize is { } v)
        {
            sb.Append("unit=nm\n");
            sb.Append(CultureInfo.InvariantCulture, $"spacing={v.Z:R}\n");
            // ImageJ's origin is in pixels, and a pixel's calibrated position is (index − origin) × size:
            // voxel centres at origin + index × size (MRC's convention) need −origin / size.
            if (info.OriginNm != default)
                sb.Append(CultureInfo.InvariantCulture, $"xorigin={-info.OriginNm.X / v.X:R}\nyorigin={-info.OriginNm.Y / v.Y:R}\nzorigin={-info.OriginNm.Z / v.Z:R}\n");
        }
        sb.Append("loop=false\n");
        if (provenance is not null) sb.Append("sxtseg=").Append(provenance.ToJson().Replace('\n', ' ')).Append('\n');
        return sb.ToString();
    }

    /// <inheritdoc />
    public void WriteSlice<T>(ReadOnlySpan<T> slice) where T : unmanaged
    {
        if (SlicesWritten >= Info.Nz) throw new InvalidOperationException($"all {Info.Nz} slices already written");
        if (slice.Length != Info.SliceLength) throw new ArgumentException($"slice holds {slice.Length} voxels, expected {Info.SliceLength}", nameof(slice));
        VoxelConvert.ToRaw(slice, Info.Type, _buffer);
        if (_contiguous is not null)
        {
            try { _contiguous.WritePage(_buffer); }
            catch (IOException e) { throw new OutputException(Path, $"cannot write page {SlicesWritten} ({e.Message})", e); }
            SlicesWritten++;
            return;
        }
        var t = _tiff!;
        var type = Info.Type;
        t.SetField(TiffTag.SUBFILETYPE, 0);
        t.SetField(TiffTag.IMAGEWIDTH, Info.Nx);
        t.SetField(TiffTag.IMAGELENGTH, Info.Ny);
        t.SetField(TiffTag.BITSPERSAMPLE, type.Size() * 8);
        t.SetField(TiffTag.SAMPLESPERPIXEL, 1);
        t.SetField(TiffTag.SAMPLEFORMAT, type switch
        {
            VoxelType.Float32 or VoxelType.Float16 => SampleFormat.IEEEFP,
            VoxelType.Int8 or VoxelType.Int16 => SampleFormat.INT,
            _ => SampleFormat.UINT,
        });
        t.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
        t.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
        t.SetField(TiffTag.COMPRESSION, _compression);
        if (_compression is Compression.LZW or Compression.ADOBE_DEFLATE && !type.IsFloat())
            t.SetField(TiffTag.PREDICTOR, Predictor.HORIZONTAL);
        t.SetField(TiffTag.ROWSPERSTRIP, Info.Ny);
        if (SlicesWritten == 0) t.SetField(TiffTag.IMAGEDESCRIPTION, _description);
        t.SetField(TiffTag.SOFTWARE, ToolInfo.NameAndVersion);
        if (Info.VoxelSize is { } v)
        {
            t.SetField(TiffTag.XRESOLUTION, 1.0 / v.X);
            t.SetField(TiffTag.YRESOLUTION, 1.0 / v.Y);
            t.SetField(TiffTag.RESOLUTIONUNIT, ResUnit.NONE);
        }
        if (t.WriteEncodedStrip(0, _buffer, _buffer.Length) < 0 || !t.WriteDirectory())
            throw new OutputException(Path, $"cannot write page {SlicesWritten} ({TiffMessages.TakeLast("write error")})");
        SlicesWritten++;
    }

    /// <inheritdoc />
    public void Commit()
    {
        if (SlicesWritten != Info.Nz) throw new InvalidOperationException($"{SlicesWritten} of {Info.Nz} slices written");
        if (_contiguous is not null)
        {
            try { _contiguous.Finish(); }
            catch (IOException e) { throw new OutputException(Path, $"cannot write ({e.Message})", e); }
        }
        else
        {
            _tiff!.Flush();
            _tiff.Close();
        }
        _closed = true;
        _file.Commit();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_closed && _tiff is not null)
        {
            try { _tiff.Dispose(); } catch (IOException) { } catch (ObjectDisposedException) { }
        }
        _file.Dispose();
    }
}
