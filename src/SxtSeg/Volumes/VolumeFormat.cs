namespace SxtSeg.Volumes;

/// <summary>File formats SxtSeg reads and writes.</summary>
public enum VolumeFormat
{
    /// <summary>MRC/CCP4 (.mrc .rec .st .ali .map .mrcs).</summary>
    Mrc,
    /// <summary>TIFF stack or single page (.tif .tiff).</summary>
    Tiff,
    /// <summary>A folder of single-page TIFF files.</summary>
    TiffFolder,
}
