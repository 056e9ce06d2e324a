namespace SxtSeg.Volumes;

/// <summary>Converts between formats and element types by streaming slices.</summary>
public static class VolumeConverter
{
    private static bool WithinHalf(VolumeStatistics st) => st.Min >= (double)Half.MinValue && st.Max <= (double)Half.MaxValue;

    /// <summary>
    /// Converts <paramref name="inputPath"/> into <paramref name="outputPath"/> (format from the
    /// extension). Same type and no flip gives a bit-exact copy of the voxel data.
    /// Returns the mapping used (scale, offset): out = in·scale + offset before rounding.
    /// </summary>
    public static (double Scale, double Offset) Convert(string inputPath, string outputPath, ConvertOptions options, Provenance? provenance = null, IProgress<ProgressUpdate>? progress = null)
    {
        options.Validate(outputPath);
        using var reader = VolumeIO.OpenRead(inputPath);
        var info = reader.Info;
        var target = options.Type ?? info.Type;
        (double scale, double offset) = (1, 0);
        var mode = options.Scale;
        VolumeStatistics? stats = null; // one statistics pass at most, shared by the fit check and the mapping
        VolumeStatistics Stats() => stats ??= VolumeStatistics.Compute(reader, progress);
        if (mode == ScaleMode.Auto)
        {
            // Integer types by their range; float16 holds ±65504 at most (beyond: infinity), so float data
            // going to float16 by its values.
            bool rangeFits = !info.Type.IsFloat() && info.Type.MinValue() >= target.MinValue() && info.Type.MaxValue() <= target.MaxValue();
            bool fits = target == VoxelType.Float16
                ? rangeFits || info.Type == VoxelType.Float16 || (info.Type.IsFloat() && WithinHalf(Stats()))
                : rangeFits || target.IsFloat();
            mode = fits ? ScaleMode.None : ScaleMode.MinMax;
        }
        if (mode == ScaleMode.Range && options.Range is null) throw new InvalidOptionException(nameof(ConvertOptions.Range), "give LOW:HIGH with --scale range");
        if (mode != ScaleMode.None)
        {
            double lo, hi;
            if (mode == ScaleMode.Range) (lo, hi) = options.Range!.Value;
            else
            {
                var st = Stats();
                (lo, hi) = mode == ScaleMode.MinMax ? (st.Min, st.Max) : (st.P005, st.P995);
            }
            double tlo = target.IsFloat() ? 0 : target.MinValue(), thi = target.IsFloat() ? 1 : target.MaxValue();
            scale = hi > lo ? (thi - tlo) / (hi - lo) : 1;
            offset = tlo - lo * scale;
        }
        var outInfo = info with
        {
            Type = target,
            VoxelSize = options.VoxelSize ?? info.VoxelSize,
            Labels = Array.Empty<string>(),
        };
        provenance ??= new Provenance("convert");
        provenance.AddInput(inputPath);
        provenance.Set("type", target.Name()).Set("scale", mode.ToString().ToLowerInvariant());
        if (mode != ScaleMode.None) provenance.Set("scale_factor", scale).Set("scale_offset", offset);
        if (options.FlipY) provenance.Set("flip_y", true);

        using var writer = VolumeIO.Create(outputPath, outInfo, provenance, options.TiffCompression);
        int n = (int)info.SliceLength;
        bool identity = mode == ScaleMode.None && !options.FlipY;
        if (identity && target == info.Type)
        {
            // Bit-exact path: raw bytes through, no conversion.
            var raw = GC.AllocateUninitializedArray<byte>(n * info.Type.Size());
            for (int z = 0; z < info.Nz; z++)
            {
                reader.ReadRawSlice(z, raw);
                WriteRaw(writer, raw, info.Type);
                progress.Report("converting", z + 1, info.Nz, "slices");
            }
        }
        else
        {
            var buf = GC.AllocateUninitializedArray<double>(n);
            var raw = GC.AllocateUninitializedArray<byte>(n * info.Type.Size());
            var tmp = options.FlipY ? new double[n] : null;
            for (int z = 0; z < info.Nz; z++)
            {
                reader.ReadRawSlice(z, raw);
                VoxelConvert.ToDouble(raw, info.Type, buf);
                if (mode != ScaleMode.None)
                    for (int i = 0; i < n; i++) buf[i] = buf[i] * scale + offset;
                if (tmp is not null)
                {
                    for (int y = 0; y < info.Ny; y++)
                        buf.AsSpan(y * info.Nx, info.Nx).CopyTo(tmp.AsSpan((info.Ny - 1 - y) * info.Nx, info.Nx));
                    tmp.CopyTo(buf, 0);
                }
                WriteDoubles(writer, buf, target);
                progress.Report("converting", z + 1, info.Nz, "slices");
            }
        }
        writer.Commit();
        return (scale, offset);
    }

    private static void WriteRaw(IVolumeWriter w, byte[] raw, VoxelType t)
    {
        switch (t)
        {
            case VoxelType.UInt8: w.WriteSlice<byte>(raw); break;
            case VoxelType.Int8: w.WriteSlice(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(raw)); break;
            case VoxelType.Int16: w.WriteSlice(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(raw)); break;
            case VoxelType.UInt16: w.WriteSlice(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(raw)); break;
            case VoxelType.UInt32: w.WriteSlice(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(raw)); break;
            case VoxelType.Float32: w.WriteSlice(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw)); break;
            case VoxelType.Float16: w.WriteSlice(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(raw)); break;
        }
    }

    private static void WriteDoubles(IVolumeWriter w, double[] values, VoxelType t)
    {
        // Narrow in the target type's own converter (round, saturate) by way of a typed buffer.
        switch (t)
        {
            case VoxelType.UInt8: w.WriteSlice<byte>(Narrow<byte>(values)); break;
            case VoxelType.Int8: w.WriteSlice<sbyte>(Narrow<sbyte>(values)); break;
            case VoxelType.Int16: w.WriteSlice<short>(Narrow<short>(values)); break;
            case VoxelType.UInt16: w.WriteSlice<ushort>(Narrow<ushort>(values)); break;
            case VoxelType.UInt32: w.WriteSlice<uint>(Narrow<uint>(values)); break;
            case VoxelType.Float32: w.WriteSlice<float>(Narrow<float>(values)); break;
            case VoxelType.Float16: w.WriteSlice<Half>(Narrow<Half>(values)); break;
        }
    }

    private static T[] Narrow<T>(double[] values) where T : unmanaged
    {
        var a = new T[values.Length];
        VoxelConvert.FromDouble<T>(values, a);
        return a;
    }
}
