namespace SxtSeg.Volumes;

/// <summary>Compression for written TIFF files.</summary>
public enum TiffCompression
{
    /// <summary>Uncompressed (fastest; what ImageJ writes).</summary>
    None,
    /// <summary>LZW.</summary>
    Lzw,
    /// <summary>Deflate (zlib).</summary>
    Deflate,
    /// <summary>PackBits run-length.</summary>
    PackBits,
}
