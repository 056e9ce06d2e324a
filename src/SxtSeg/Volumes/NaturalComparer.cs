namespace SxtSeg.Volumes;

/// <summary>Orders strings with embedded numbers by value ("img2" before "img10"), ordinal otherwise.</summary>
public sealed class NaturalComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static NaturalComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? a, string? b)
    {
        if (a is null || b is null) return string.CompareOrdinal(a, b);
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                int si = i, sj = j;
                while (si < a.Length && a[si] == '0') si++;
                while (sj < b.Length && b[sj] == '0') sj++;
                int ei = si, ej = sj;
                while (ei < a.Length && char.IsAsciiDigit(a[ei])) ei++;
                while (ej < b.Length && char.IsAsciiDigit(b[ej])) ej++;
                int li = ei - si, lj = ej - sj;
                if (li != lj) return li.CompareTo(lj);
                int c = string.CompareOrdinal(a, si, b, sj, li);
                if (c != 0) return c;
                int zi = si - i, zj = sj - j; // more leading zeros sorts first, for stability
                if (zi != zj) return zj.CompareTo(zi);
                i = ei; j = ej;
            }
            else
            {
                int c = a[i].CompareTo(b[j]);
                if (c != 0) return c;
                i++; j++;
            }
        }
        return (a.Length - i).CompareTo(b.Length - j);
    }
}
