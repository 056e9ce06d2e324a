using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using BitMiracle.LibTiff.Classic;

namespace SxtSeg.Volumes;

/// <summary>Routes LibTiff's messages into an exception message instead of the console.</summary>
internal sealed class TiffMessages : TiffErrorHandler
{
    [ThreadStatic] private static string? _last;
    private static readonly object Gate = new();
    private static bool _installed;

    /// <summary>Installs the handler once per process.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            Tiff.SetErrorHandler(new TiffMessages());
            _installed = true;
        }
    }

    /// <summary>Returns and clears the last error on this thread.</summary>
    public static string TakeLast(string fallback)
    {
        string s = _last ?? fallback;
        _last = null;
        return s;
    }

    public override void ErrorHandler(Tiff tif, string method, string format, params object[] args)
        => _last = Format(format, args);

    public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        => _last = Format(format, args);

    public override void WarningHandler(Tiff tif, string method, string format, params object[] args) { }

    public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) { }

    private static string Format(string format, object[] args)
    {
        try { return string.Format(CultureInfo.InvariantCulture, format, args).Replace('\n', ' ').Trim(); }
        catch (FormatException) { return format; }
    }
}

/// <summary>
/// Reads a multi-page TIFF stack (page i = slice z = i) or one page: 8/16/32-bit integer and
/// 32-bit float, greyscale, strips or tiles, any compression LibTiff decodes (none, LZW, deflate,
/// PackBits...), either byte order. ImageJ metadata gives the voxel size (unit, X/YResolution,
/// spacing); ImageJ's contiguous layout for stacks over 4 GB (one IFD, images=N) is read too.
/// </summary>
public sealed class TiffReader : VolumeReaderBase
{
    private readonly Tiff _tiff;
    private readonly long[]? _contiguousOffsets;
    private readonly Stream? _rawStream;
    private byte[] _strip = Array.Empty<byte>();

    /// <summary>Opens and validates the file.</summary>
    public TiffReader(string path)
    {
        Path = path;
        TiffMessages.Install();
        InputPaths.RequireReadable(path);
        // Our own strict pass over the structure first: LibTiff would read a truncated stack as a
        // shorter one, loop or fail with internal errors on corrupt directories.
        var structure = TiffStructure.Read(path);
        _pages = structure.Pages.ToArray();
        var p0 = _pages[0];
        int nx = (int)p0.Width, ny = (int)p0.Height;
        var fmt = (SampleFormat)p0.SampleFormat;
        var type = (p0.Bits, fmt) switch
        {
            (8, SampleFormat.UINT) => VoxelType.UInt8,
            (8, SampleFormat.INT) => VoxelType.Int8,
            (16, SampleFormat.UINT) => VoxelType.UInt16,
            (16, SampleFormat.INT) => VoxelType.Int16,
            (32, SampleFormat.UINT) => VoxelType.UInt32,
            (32, SampleFormat.IEEEFP) => VoxelType.Float32,
            (16, SampleFormat.IEEEFP) => VoxelType.Float16,
            _ => throw new InvalidInputException(path, $"TIFF sample type {p0.Bits}-bit {SampleFormatName(p0.SampleFormat)} is not supported (supported: 8/16/32-bit unsigned, 8/16-bit signed, 16/32-bit float)"),
        };
        for (int i = 1; i < _pages.Length; i++)
        {
            var p = _pages[i];
            if (p.Width != nx || p.Height != ny) throw new InvalidInputException(path, $"page {i} is {p.Width} × {p.Height}, page 0 is {nx} × {ny}: mixed page sizes");
            if (p.Bits != p0.Bits || p.SampleFormat != p0.SampleFormat)
                throw new InvalidInputException(path, $"page {i} has {p.Bits}-bit {SampleFormatName(p.SampleFormat)} samples, page 0 has {p0.Bits}-bit {SampleFormatName(p0.SampleFormat)}: mixed types");
        }
        Tiff? t;
        try
        {
            t = Tiff.Open(path, "r");
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw new InvalidInputException(path, $"corrupt TIFF: the first page cannot be read ({Reason(path, e)})", e);
        }
        if (t is null) throw new InvalidInputException(path, $"corrupt TIFF: the first page cannot be read ({LibTiffSays(path, "LibTiff refused its directory")})");
        _tiff = t;
        try
        {
            string? desc;
            try
            {
                desc = _tiff.GetField(TiffTag.IMAGEDESCRIPTION)?[0].ToString();
            }
            catch (Exception e) when (IsDecoderFailure(e))
            {
                throw new InvalidInputException(path, $"corrupt TIFF: unreadable ImageDescription ({Reason(path, e)})", e);
            }
            var ij = ImageJDescription.TryParse(desc);
            RefuseMoreThanThreeDimensions(path, ij, desc);
            int pages = _pages.Length;
            int nz = pages;
            int? ijImages = ij?.Int("images");
            if (ijImages is > 1 && pages == 1)
            {
                // ImageJ writes stacks over 4 GB as one IFD followed by contiguous uncompressed data.
                if (p0.Compression != 1 || p0.Tiled)
                    throw new InvalidInputException(path, $"truncated or corrupt ImageJ stack: description promises {ijImages} images but the file holds one compressed page");
                long first = p0.DataOffsets![0];
                long sliceBytes = (long)nx * ny * type.Size();
                long need = first + sliceBytes * ijImages.Value;
                long length = structure.Length;
                if (length < need) throw new InvalidInputException(path, $"truncated ImageJ stack: description promises {ijImages} images ({need:N0} bytes) but the file holds {length:N0}");
                if (p0.Offset >= first && p0.Offset < need)
                    throw new InvalidInputException(path, $"truncated or corrupt ImageJ stack: description promises {ijImages} images in one block of data, but the page directory lies inside that block");
                nz = ijImages.Value;
                _contiguousOffsets = new long[nz];
                for (int i = 0; i < nz; i++) _contiguousOffsets[i] = first + i * sliceBytes;
                _rawStream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                BigEndian = structure.BigEndian;
            }
            else if (ijImages is { } promised && promised != pages && pages > 1)
                throw new InvalidInputException(path, $"truncated or corrupt ImageJ stack: description promises {promised} images but the file has {pages} pages");
            var voxel = ReadVoxelSize(structure, p0, ij, nz);
            Info = new VolumeInfo(nx, ny, nz, type, voxel)
            {
                OriginNm = Origin(ij, voxel),
                Labels = desc is null ? Array.Empty<string>() : desc.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            };
            Description = desc;
            ImageJ = ij;
            _pageCache = -1;
        }
        catch
        {
            _tiff.Dispose();
            _rawStream?.Dispose();
            throw;
        }
    }

    private readonly TiffPage[] _pages;

    private static string SampleFormatName(long f) => f switch { 1 => "unsigned", 2 => "signed", 3 => "float", 4 => "untyped", _ => $"format-{f}" };

    /// <summary>Exceptions LibTiff throws on corrupt data (it is a port of C code that trusts its input).</summary>
    private static bool IsDecoderFailure(Exception e) => e is not (SxtSegException or OutOfMemoryException or OperationCanceledException or ThreadInterruptedException or StackOverflowException);

    /// <summary>LibTiff's last message without the file name it starts with (the error names the file already).</summary>
    private static string LibTiffSays(string path, string fallback)
    {
        string m = TiffMessages.TakeLast(fallback);
        foreach (string name in new[] { path, System.IO.Path.GetFileName(path) })
            if (name.Length > 0) m = m.Replace(name + ": ", "", StringComparison.Ordinal).Replace(name, "the file", StringComparison.Ordinal);
        return m.Length > 0 ? m : fallback;
    }

    private string Reason(Exception e) => Reason(Path, e);

    private static string Reason(string path, Exception e)
    {
        string last = LibTiffSays(path, "");
        return last.Length > 0 ? last : $"{e.GetType().Name}: {InputPaths.OneLine(e.Message)}";
    }

    private int _pageCache;

    /// <summary>True for a big-endian file in ImageJ's contiguous layout.</summary>
    private bool BigEndian { get; }

    /// <summary>The first page's ImageDescription, if any.</summary>
    public string? Description { get; }

    /// <summary>ImageJ metadata, when the file was written by ImageJ (or compatibly).</summary>
    public ImageJDescription? ImageJ { get; }

    /// <inheritdoc />
    public override string Path { get; }

    /// <inheritdoc />
    public override VolumeInfo Info { get; }

    private int Field(TiffTag tag, int fallback)
    {
        var f = _tiff.GetFieldDefaulted(tag);
        if (f is null || f.Length == 0) return fallback;
        return f[0].Value switch
        {
            short sh => (ushort)sh, // SHORT fields are unsigned in TIFF
            _ => f[0].ToInt(),
        };
    }

    /// <summary>
    /// Refuses an ImageJ hyperstack with several channels or time points, or a tifffile stack whose
    /// shape has more than one dimension beyond y and x: their pages interleave channels or frames,
    /// and read as one z stack they would be segmented and measured as one volume.
    /// </summary>
    private static void RefuseMoreThanThreeDimensions(string path, ImageJDescription? ij, string? desc)
    {
        // A time series of single slices (slices=1, frames=N) is one stack of images, read as z.
        if (ij is not null && (ij.Int("channels") is > 1 || (ij.Int("frames") is > 1 && ij.Int("slices") is > 1)))
            throw new InvalidInputException(path, string.Create(CultureInfo.InvariantCulture,
                $"an ImageJ hyperstack of {ij.Int("channels") ?? 1} channels, {ij.Int("slices") ?? 1} slices and {ij.Int("frames") ?? 1} time points: SxtSeg reads one 3-D volume; save one channel at one time point as a plain stack (Fiji: Image > Duplicate)"));
        if (desc is null || !desc.TrimStart().StartsWith('{')) return;
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(desc.TrimEnd('\0'))?["shape"] is System.Text.Json.Nodes.JsonArray shape && shape.Count > 3)
            {
                int extra = 0;
                for (int i = 0; i < shape.Count - 2; i++) if (shape[i]?.GetValue<long>() > 1) extra++;
                if (extra > 1)
                    throw new InvalidInputException(path, $"a stack of shape [{string.Join(", ", shape)}] (tifffile's description): SxtSeg reads one 3-D volume (z, y, x); save one channel at one time point");
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            // Not tifffile's JSON: nothing to check.
        }
    }

    /// <summary>
    /// The origin (nm) from ImageJ's <c>xorigin=</c>, <c>yorigin=</c>, <c>zorigin=</c> (pixels; a pixel's
    /// calibrated position is (index − origin) × size): −origin × size per axis; zero without a voxel size.
    /// </summary>
    private static (double X, double Y, double Z) Origin(ImageJDescription? ij, VoxelSize? voxel)
    {
        if (ij is null || voxel is not { } v) return default;
        double Axis(string key, double size) => ij.Double(key) is { } o && double.IsFinite(o) ? -o * size : 0;
        return (Axis("xorigin", v.X), Axis("yorigin", v.Y), Axis("zorigin", v.Z));
    }

    private VoxelSize? ReadVoxelSize(TiffStructure structure, TiffPage p0, ImageJDescription? ij, int nz)
    {
        double? nmPerUnit;
        bool printUnit; // inch and cm are print resolutions unless they give a plausible voxel size
        if (ij is not null)
        {
            string? unit = ij.Values.GetValueOrDefault("unit");
            nmPerUnit = ImageJDescription.NmPerUnit(unit);
            printUnit = unit?.Trim().ToLowerInvariant() is "inch" or "cm";
        }
        else
        {
            nmPerUnit = p0.ResolutionUnit == 3 ? 1e7 : null; // inch-based DPI is never a voxel size
            printUnit = true;
        }
        if (nmPerUnit is null || p0.XResolution is null) return null;
        double px = structure.Resolution(p0.XResolution, "XResolution")!.Value;
        double py = structure.Resolution(p0.YResolution, "YResolution") ?? px;
        if (!(px > 0) || !(py > 0)) return null;
        // units per pixel as the rational's den / num in one division: 49/5 gives 9.8 exactly, where
        // 1 / (5/49) gives 9.799999999999999
        // (nm per unit × den) / num: one rounding for nm and µm (1000 × den is exact), so 49/5 pixels per nm
        // or 5000/49 per µm read as 9.8 nm, where 1 / (num / den) gives 9.799999999999999
        double PerPixel((ulong Num, ulong Den) r) => nmPerUnit.Value * r.Den / r.Num;
        double sx = PerPixel(p0.XResolution.Value), sy = PerPixel(p0.YResolution ?? p0.XResolution.Value);
        // ImageJ leaves spacing= out when the voxel depth is 1 unit, and reads a missing key as 1 unit:
        // so does a stack here, when 1 unit is a voxel size at all (nm, µm); a single image has no
        // depth and keeps x, as does a print unit or a unit too large for a voxel.
        double? spacing = ij?.Double("spacing");
        if (ij is not null && spacing is null && nz > 1 && !printUnit && VoxelSize.InRange(nmPerUnit.Value)) spacing = 1;
        double sz = spacing is { } sp && sp > 0 ? sp * nmPerUnit.Value : sx;
        var v = new VoxelSize(sx, sy, sz);
        if (v.IsPlausible) return v;
        if (printUnit && !(spacing is > 0)) return null;
        throw new InvalidInputException(Path, string.Create(CultureInfo.InvariantCulture,
            $"TIFF resolution gives a voxel size of {sx:G4} × {sy:G4} × {sz:G4} nm, outside the accepted {VoxelSize.RangeText}; the metadata is corrupt (give the right size with --voxel-size after fixing the file)"));
    }

    /// <inheritdoc />
    public override void ReadRawSlice(int z, Span<byte> dest)
    {
        var info = Info;
        if ((uint)z >= (uint)info.Nz) throw new ArgumentOutOfRangeException(nameof(z), $"slice {z} outside 0..{info.Nz - 1}");
        int es = info.Type.Size();
        int bytes = checked((int)(info.SliceLength * es));
        if (dest.Length < bytes) throw new ArgumentException("destination too small", nameof(dest));
        var d = dest[..bytes];
        if (_contiguousOffsets is not null)
        {
            _rawStream!.Position = _contiguousOffsets[z];
            _rawStream.ReadExactly(d);
            if (BigEndian != !BitConverter.IsLittleEndian) VoxelConvert.SwapBytes(d, es);
            return;
        }
        try
        {
            if (_pageCache != z)
            {
                _pageCache = -1;
                if (!_tiff.SetSubDirectory(_pages[z].Offset)) throw new InvalidInputException(Path, $"corrupt TIFF: cannot read page {z} ({LibTiffSays(Path, "corrupt directory")})");
                _pageCache = z;
                CheckPage(z);
            }
            if (_tiff.IsTiled()) ReadTiled(z, d, es);
            else ReadStrips(z, d);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            _pageCache = -1;
            throw new InvalidInputException(Path, $"corrupt TIFF: page {z} cannot be decoded ({Reason(e)})", e);
        }
    }

    private void CheckPage(int z)
    {
        // What LibTiff will decode must be what the structure check saw: one sample of the volume's type per pixel.
        int nx = Field(TiffTag.IMAGEWIDTH, 0), ny = Field(TiffTag.IMAGELENGTH, 0);
        if (nx != Info.Nx || ny != Info.Ny) throw new InvalidInputException(Path, $"page {z} is {nx} × {ny}, page 0 is {Info.Nx} × {Info.Ny}: mixed page sizes");
        int bits = Field(TiffTag.BITSPERSAMPLE, 1);
        if (bits != Info.Type.Size() * 8) throw new InvalidInputException(Path, $"page {z} has {bits}-bit samples, page 0 has {Info.Type.Size() * 8}-bit");
        long scan = _tiff.IsTiled() ? (long)Info.Nx * Info.Type.Size() : _tiff.ScanlineSize();
        if (scan != (long)Info.Nx * Info.Type.Size() || Field(TiffTag.SAMPLESPERPIXEL, 1) != 1)
            throw new InvalidInputException(Path, $"corrupt TIFF: page {z} does not hold one {Info.Type.Name()} sample per pixel");
    }

    private void ReadStrips(int z, Span<byte> d)
    {
        int scan = _tiff.ScanlineSize();
        int rps = Math.Min(Field(TiffTag.ROWSPERSTRIP, Info.Ny), Info.Ny);
        if (rps <= 0) rps = Info.Ny;
        int strips = _tiff.NumberOfStrips();
        int need = rps * scan;
        if (_strip.Length < need) _strip = new byte[need];
        for (int s = 0; s < strips; s++)
        {
            int row0 = s * rps;
            if (row0 >= Info.Ny) break;
            int rows = Math.Min(rps, Info.Ny - row0);
            int n = _tiff.ReadEncodedStrip(s, _strip, 0, rows * scan);
            if (n < rows * scan) throw new InvalidInputException(Path, $"corrupt TIFF: page {z}: strip {s} is truncated or corrupt ({LibTiffSays(Path, "short read")})");
            _strip.AsSpan(0, rows * scan).CopyTo(d.Slice(row0 * scan));
        }
    }

    private void ReadTiled(int z, Span<byte> d, int es)
    {
        int tw = Field(TiffTag.TILEWIDTH, 0), th = Field(TiffTag.TILELENGTH, 0);
        int tileBytes = _tiff.TileSize();
        if (_strip.Length < tileBytes) _strip = new byte[tileBytes];
        int nx = Info.Nx, ny = Info.Ny;
        for (int y0 = 0; y0 < ny; y0 += th)
        {
            for (int x0 = 0; x0 < nx; x0 += tw)
            {
                int tile = _tiff.ComputeTile(x0, y0, 0, 0);
                int n = _tiff.ReadEncodedTile(tile, _strip, 0, tileBytes);
                if (n < 0) throw new InvalidInputException(Path, $"corrupt TIFF: page {z}: tile at ({x0}, {y0}) is corrupt ({LibTiffSays(Path, "decode error")})");
                int w = Math.Min(tw, nx - x0), h = Math.Min(th, ny - y0);
                for (int r = 0; r < h; r++)
                    _strip.AsSpan(r * tw * es, w * es).CopyTo(d.Slice(((y0 + r) * nx + x0) * es));
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _tiff.Dispose();
        _rawStream?.Dispose();
    }
}

/// <summary>
/// An uncompressed TIFF (classic or BigTIFF, little-endian) in ImageJ's stack layout: header,
/// the pages' data one after another from byte 16, then every page directory. The header's
/// pointer to the first directory is filled in by <see cref="Finish"/>.
/// </summary>
internal sealed class ContiguousTiff
{
    private readonly Stream _s;
    private readonly VolumeInfo _info;
    private readonly string _description;
    private readonly bool _big;
    private readonly long _dataStart;
    private readonly long _pageBytes;
    private int _pages;

    public ContiguousTiff(Stream stream, VolumeInfo info, string description, bool big)
    {
        _s = stream;
        _info = info;
        _description = description;
        _big = big;
        _pageBytes = info.SliceLength * info.Type.Size();
        var head = new byte[16];
        head[0] = (byte)'I'; head[1] = (byte)'I';
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(2), (ushort)(big ? 43 : 42));
        if (big) { BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(4), 8); }
        _s.Position = 0;
        _s.Write(head);
        _dataStart = 16;
    }

    public void WritePage(ReadOnlySpan<byte> data)
    {
        _s.Write(data[..(int)_pageBytes]);
        _pages++;
    }

    private const ushort Ascii = 2, Short = 3, Long = 4, RationalType = 5, Long8 = 16;

    public void Finish()
    {
        // Values that do not fit in a directory entry: description, software, resolutions.
        long Align(long p) => (p + 1) & ~1L;
        long pos = _dataStart + _pageBytes * _pages;
        var blobs = new MemoryStream();
        long BlobAt(byte[] bytes)
        {
            long at = pos + blobs.Length;
            blobs.Write(bytes);
            if (blobs.Length % 2 == 1) blobs.WriteByte(0);
            return at;
        }
        byte[] desc = Encoding.ASCII.GetBytes(ToAscii(_description) + "\0");
        byte[] soft = Encoding.ASCII.GetBytes(ToAscii(ToolInfo.NameAndVersion) + "\0");
        long descAt = BlobAt(desc), softAt = BlobAt(soft);
        // A rational is 8 bytes: in a classic TIFF its entry holds an offset to it, in a BigTIFF the
        // entry's 8-byte value field holds the rational itself (TIFF readers take it from there).
        long xAt = 0, yAt = 0;
        if (_info.VoxelSize is { } v)
        {
            byte[] xr = RationalBytes(1.0 / v.X), yr = RationalBytes(1.0 / v.Y);
            xAt = _big ? BinaryPrimitives.ReadInt64LittleEndian(xr) : BlobAt(xr);
            yAt = _big ? BinaryPrimitives.ReadInt64LittleEndian(yr) : BlobAt(yr);
        }
        _s.Position = pos;
        _s.Write(blobs.ToArray());
        long ifdStart = Align(pos + blobs.Length);
        if (_s.Position < ifdStart) _s.WriteByte(0);
        var type = _info.Type;
        ushort format = type switch
        {
            VoxelType.Float32 or VoxelType.Float16 => 3,
            VoxelType.Int8 or VoxelType.Int16 => 2,
            _ => 1,
        };
        int entrySize = _big ? 20 : 12, countSize = _big ? 8 : 2, nextSize = _big ? 8 : 4;
        long ifdAt = ifdStart;
        for (int i = 0; i < _pages; i++)
        {
            var entries = new List<(ushort Tag, ushort Type, long Count, long Value)>
            {
                (254, Long, 1, 0),
                (256, Long, 1, _info.Nx),
                (257, Long, 1, _info.Ny),
                (258, Short, 1, type.Size() * 8),
                (259, Short, 1, 1),
                (262, Short, 1, 1),
            };
            if (i == 0) entries.Add((270, Ascii, desc.Length, descAt));
            entries.Add((273, _big ? Long8 : Long, 1, _dataStart + i * _pageBytes));
            entries.Add((277, Short, 1, 1));
            entries.Add((278, Long, 1, _info.Ny));
            entries.Add((279, _big ? Long8 : Long, 1, _pageBytes));
            if (_info.VoxelSize is not null)
            {
                entries.Add((282, RationalType, 1, xAt));
                entries.Add((283, RationalType, 1, yAt));
            }
            entries.Add((284, Short, 1, 1));
            if (_info.VoxelSize is not null) entries.Add((296, Short, 1, 1));
            entries.Add((305, Ascii, soft.Length, softAt));
            entries.Add((339, Short, 1, format));
            long size = countSize + entries.Count * entrySize + nextSize;
            long next = i + 1 < _pages ? ifdAt + size : 0;
            var b = new byte[size];
            var span = b.AsSpan();
            if (_big) BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)entries.Count);
            else BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)entries.Count);
            int o = countSize;
            foreach (var (tag, t, count, value) in entries)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span[o..], tag);
                BinaryPrimitives.WriteUInt16LittleEndian(span[(o + 2)..], t);
                if (_big)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(span[(o + 4)..], (ulong)count);
                    if (t == Short) BinaryPrimitives.WriteUInt16LittleEndian(span[(o + 12)..], (ushort)value);
                    else if (t == Long) BinaryPrimitives.WriteUInt32LittleEndian(span[(o + 12)..], (uint)value);
                    else BinaryPrimitives.WriteUInt64LittleEndian(span[(o + 12)..], (ulong)value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(span[(o + 4)..], (uint)count);
                    if (t == Short) BinaryPrimitives.WriteUInt16LittleEndian(span[(o + 8)..], (ushort)value);
                    else BinaryPrimitives.WriteUInt32LittleEndian(span[(o + 8)..], checked((uint)value));
                }
                o += entrySize;
            }
            if (_big) BinaryPrimitives.WriteUInt64LittleEndian(span[o..], (ulong)next);
            else BinaryPrimitives.WriteUInt32LittleEndian(span[o..], checked((uint)next));
            _s.Position = ifdAt;
            _s.Write(b);
            ifdAt += size;
        }
        // The header points at the first directory.
        var first = new byte[8];
        _s.Position = _big ? 8 : 4;
        if (_big) { BinaryPrimitives.WriteUInt64LittleEndian(first, (ulong)ifdStart); _s.Write(first, 0, 8); }
        else { BinaryPrimitives.WriteUInt32LittleEndian(first, checked((uint)ifdStart)); _s.Write(first, 0, 4); }
        _s.Flush();
    }

    /// <summary>A positive value as a TIFF rational: its best approximation with both parts in 32 bits (continued fraction; 1/9.8 is 5/49).</summary>
    internal static byte[] RationalBytes(double value)
    {
        var (num, den) = Rational(value);
        var b = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)num);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)den);
        return b;
    }

    internal static (long Num, long Den) Rational(double value)
    {
        long h0 = 0, h1 = 1, k0 = 1, k1 = 0;
        double x = value;
        for (int i = 0; i < 40; i++)
        {
            double a = Math.Floor(x);
            if (a > uint.MaxValue) break;
            long h2 = (long)a * h1 + h0, k2 = (long)a * k1 + k0;
            if (h2 > uint.MaxValue || k2 > uint.MaxValue) break;
            (h0, h1, k0, k1) = (h1, h2, k1, k2);
            double frac = x - a;
            if (frac < 1e-12 || Math.Abs((double)h1 / k1 - value) <= value * 1e-15) break;
            x = 1 / frac;
        }
        return k1 == 0 ? (uint.MaxValue, 1) : h1 == 0 ? (1, uint.MaxValue) : (h1, k1);
    }

    private static string ToAscii(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s) sb.Append(c is '\n' or (>= ' ' and <= '~') ? c : '?');
        return sb.ToString();
    }
}

/// <summary>A LibTiff stream adapter that flushes but does not close the underlying stream on close.</summary>
internal sealed class KeepOpenTiffStream : TiffStream
{
    public override void Close(object clientData) => ((Stream)clientData).Flush();
}
