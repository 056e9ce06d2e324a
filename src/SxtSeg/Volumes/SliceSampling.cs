namespace SxtSeg.Volumes;

/// <summary>Which slices of a volume to look at when a few stand for all of it.</summary>
public static class SliceSampling
{
    /// <summary>
    /// Every slice when there are no more than <paramref name="count"/>, else <paramref name="count"/>
    /// slices spread over the central 60 % (<see cref="CentralSpread"/>).
    /// </summary>
    public static List<int> Central(int nz, int count)
    {
        if (nz > count) return CentralSpread(nz, count);
        var zs = new List<int>(nz);
        for (int z = 0; z < nz; z++) zs.Add(z);
        return zs;
    }

    /// <summary>
    /// <paramref name="count"/> slices evenly spread over the central 60 % of <paramref name="nz"/>
    /// (rounded, never past the last slice; a slice can come twice when there are few). The end slices
    /// are left out: they are often padding, ice or the missing wedge's streaks.
    /// </summary>
    public static List<int> CentralSpread(int nz, int count)
    {
        var zs = new List<int>(count);
        for (int i = 0; i < count; i++) zs.Add(Math.Min(nz - 1, (int)Math.Round(nz * (0.2 + 0.6 * (i + 0.5) / count))));
        return zs;
    }
}
