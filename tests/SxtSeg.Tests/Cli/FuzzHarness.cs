using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using BitMiracle.LibTiff.Classic;
using SxtSeg.Cli;
using SxtSeg.Tests.Volumes;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>A small valid file the mutants start from.</summary>
/// <param name="Name">File name (its extension gives the format).</param>
/// <param name="Bytes">Contents.</param>
/// <param name="Nz">Slices of the valid file.</param>
/// <param name="Labels">A binary label volume (usable by measure).</param>
/// <remarks>On an error, warning lines ("sxtseg: warning: ...") may precede the one error line.</remarks>
public sealed record FuzzSeed(string Name, byte[] Bytes, int Nz, bool Labels)
{
    /// <summary>True for TIFF seeds.</summary>
    public bool Tiff => Name.EndsWith(".tif", StringComparison.Ordinal);
}

/// <summary>One mutant: its bytes and what was done.</summary>
public sealed record FuzzMutant(FuzzSeed Seed, byte[] Bytes, string Mutation, string Detail)
{
    /// <summary>True when the mutant is the seed cut short.</summary>
    public bool Truncated => Mutation == "truncate";
}

/// <summary>How one run of one command on one mutant ended.</summary>
public sealed record FuzzOutcome(string Command, FuzzMutant Mutant, int ExitCode, bool Hung, string Err, string Problem)
{
    /// <summary>True when the run met every rule: exit 0, or exit 2 with one line naming the file and nothing left behind.</summary>
    public bool Clean => Problem.Length == 0;
}

/// <summary>
/// A seeded mutator of small valid MRC and TIFF files (header byte flips, truncations, absurd
/// dimensions, modes, offsets, NaN/Inf, directory loops, ImageJ description edits) and a runner
/// that gives each mutant to a command in-process and classifies the outcome. Shared by the fuzz
/// test in the suite (a few hundred cases) and the bench program (thousands).
/// </summary>
public static class FuzzHarness
{
    /// <summary>The mutation kinds, each drawn equally often.</summary>
    public static readonly string[] Mutations = { "flip-header", "flip-anywhere", "truncate", "dimensions", "mode", "offsets", "nan-inf", "ifd-loop", "imagej-text" };

    /// <summary>Writes the valid seeds with our own writers (and LibTiff for tiles) and returns them.</summary>
    public static List<FuzzSeed> Seeds(string folder)
    {
        Directory.CreateDirectory(folder);
        var seeds = new List<FuzzSeed>();
        var rng = new Random(15);
        FuzzSeed Add(string name, Action<string> write, int nz, bool labels)
        {
            string p = Path.Combine(folder, name);
            write(p);
            var s = new FuzzSeed(name, File.ReadAllBytes(p), nz, labels);
            File.Delete(p);
            seeds.Add(s);
            return s;
        }
        var tomo = new Volume<float>(20, 16, 6, VoxelSize.Isotropic(10)) { OriginNm = (5, -3, 100) };
        for (int i = 0; i < tomo.Length; i++) tomo.Data[i] = (float)rng.NextDouble();
        var labels = new Volume<byte>(20, 16, 6, VoxelSize.Isotropic(10));
        for (int z = 1; z < 5; z++)
            for (int y = 2; y < 14; y++)
                for (int x = 2; x < 18; x++)
                    if ((x - 7) * (x - 7) + (y - 8) * (y - 8) < 16 || (x - 15) * (x - 15) + (y - 8) * (y - 8) < 6) labels[z, y, x] = 1;
        Add("tomo-f32.mrc", p => VolumeIO.Write(p, tomo), 6, false);
        Add("labels-u8.mrc", p => VolumeIO.Write(p, labels), 6, true);
        Add("tomo-i16.mrc", p => VolumeIO.Write(p, tomo, fileType: VoxelType.Int16), 6, false);
        Add("tomo-f16.mrc", p => VolumeIO.Write(p, tomo, fileType: VoxelType.Float16), 6, false);
        Add("tomo-be.mrc", p => File.WriteAllBytes(p, BigEndianMrc(tomo)), 6, false);
        Add("tomo-f32.tif", p => VolumeIO.Write(p, tomo), 6, false);
        Add("labels-u8.tif", p => VolumeIO.Write(p, labels), 6, true);
        Add("labels-lzw.tif", p => VolumeIO.Write(p, labels, tiffCompression: TiffCompression.Lzw), 6, true);
        Add("tomo-u16-deflate.tif", p => VolumeIO.Write(p, tomo, fileType: VoxelType.UInt16, tiffCompression: TiffCompression.Deflate), 6, false);
        Add("labels-packbits.tif", p => VolumeIO.Write(p, labels, tiffCompression: TiffCompression.PackBits), 6, true);
        Add("tomo-tiled.tif", p => TiledTiff(p, tomo), 6, false);
        return seeds;
    }

    /// <summary>A big-endian MRC (mode 2, extended header of 80 bytes) written byte by byte.</summary>
    private static byte[] BigEndianMrc(Volume<float> v)
    {
        var b = new byte[1024 + 80 + v.Length * 4];
        void I(int o, int x) => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(o), x);
        void F(int o, float x) => BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(o), x);
        I(0, v.Nx); I(4, v.Ny); I(8, v.Nz); I(12, 2); I(28, v.Nx); I(32, v.Ny); I(36, v.Nz);
        F(40, v.Nx * 100f); F(44, v.Ny * 100f); F(48, v.Nz * 100f);
        F(52, 90); F(56, 90); F(60, 90); I(64, 1); I(68, 2); I(72, 3); I(92, 80);
        Encoding.ASCII.GetBytes("MAP ").CopyTo(b, 208);
        b[212] = 0x11; b[213] = 0x11;
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(1104 + 4 * i), v.Data[i]);
        return b;
    }

    /// <summary>A 16 × 16-tiled float32 stack written with LibTiff directly.</summary>
    private static void TiledTiff(string path, Volume<float> v)
    {
        using var t = Tiff.Open(path, "w");
        var tile = new byte[16 * 16 * 4];
        for (int z = 0; z < v.Nz; z++)
        {
            t.SetField(TiffTag.IMAGEWIDTH, v.Nx); t.SetField(TiffTag.IMAGELENGTH, v.Ny);
            t.SetField(TiffTag.BITSPERSAMPLE, 32); t.SetField(TiffTag.SAMPLESPERPIXEL, 1);
            t.SetField(TiffTag.SAMPLEFORMAT, SampleFormat.IEEEFP);
            t.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
            t.SetField(TiffTag.COMPRESSION, z % 2 == 0 ? Compression.NONE : Compression.ADOBE_DEFLATE);
            t.SetField(TiffTag.TILEWIDTH, 16); t.SetField(TiffTag.TILELENGTH, 16);
            for (int ty = 0; ty < v.Ny; ty += 16)
                for (int tx = 0; tx < v.Nx; tx += 16)
                {
                    Array.Clear(tile);
                    for (int r = 0; r < 16 && ty + r < v.Ny; r++)
                        for (int c = 0; c < 16 && tx + c < v.Nx; c++)
                            BinaryPrimitives.WriteSingleLittleEndian(tile.AsSpan((r * 16 + c) * 4), v[z, ty + r, tx + c]);
                    t.WriteTile(tile, tx, ty, 0, 0);
                }
            t.WriteDirectory();
        }
    }

    private static readonly int[] AbsurdInts = { 0, -1, 1, 2, 3, 255, 65535, 65536, 1 << 20, 46341, int.MaxValue, int.MinValue, 100000 };
    private static readonly float[] OddFloats = { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e38f, -3e38f, 1e-30f, 0f, -0f, 1e10f };

    /// <summary>Makes one mutant of <paramref name="seed"/> with the given kind.</summary>
    public static FuzzMutant Mutate(FuzzSeed seed, string kind, Random rng)
    {
        byte[] b = (byte[])seed.Bytes.Clone();
        if (kind == "truncate")
        {
            int cut = rng.Next(0, b.Length);
            return new FuzzMutant(seed, b[..cut], kind, $"cut at {cut} of {b.Length}");
        }
        if (kind == "flip-anywhere")
        {
            int n = 1 + rng.Next(8);
            var where = new List<int>();
            for (int i = 0; i < n; i++) { int at = rng.Next(b.Length); b[at] ^= (byte)(1 << rng.Next(8)); where.Add(at); }
            return new FuzzMutant(seed, b, kind, "bits at " + string.Join(",", where));
        }
        return seed.Tiff ? MutateTiff(seed, b, kind, rng) : MutateMrc(seed, b, kind, rng);
    }

    private static FuzzMutant MutateMrc(FuzzSeed seed, byte[] b, string kind, Random rng)
    {
        bool be = b[212] == 0x11;
        void I(int o, int v) { if (be) BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(o), v); }
        void F(int o, float v) { if (be) BinaryPrimitives.WriteSingleBigEndian(b.AsSpan(o), v); else BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(o), v); }
        switch (kind)
        {
            case "flip-header":
            case "imagej-text":
            case "ifd-loop":
            {
                int n = 1 + rng.Next(6);
                var where = new List<int>();
                for (int i = 0; i < n; i++) { int at = rng.Next(1024); b[at] = (byte)rng.Next(256); where.Add(at); }
                return new FuzzMutant(seed, b, "flip-header", "bytes at " + string.Join(",", where));
            }
            case "dimensions":
            {
                int field = new[] { 0, 4, 8, 28, 32, 36 }[rng.Next(6)];
                int v = AbsurdInts[rng.Next(AbsurdInts.Length)];
                I(field, v);
                return new FuzzMutant(seed, b, kind, $"int at {field} = {v}");
            }
            case "mode":
            {
                int v = new[] { -1, 0, 1, 2, 3, 4, 5, 6, 7, 12, 16, 101, 1024, int.MaxValue }[rng.Next(14)];
                I(12, v);
                if (rng.Next(3) == 0) I(156, rng.Next(8));
                return new FuzzMutant(seed, b, kind, $"mode = {v}");
            }
            case "offsets":
            {
                int v = AbsurdInts[rng.Next(AbsurdInts.Length)];
                int field = new[] { 92, 220, 64, 68, 72, 16 }[rng.Next(6)];
                I(field, v);
                return new FuzzMutant(seed, b, kind, $"int at {field} = {v}");
            }
            default: // nan-inf
            {
                float v = OddFloats[rng.Next(OddFloats.Length)];
                int choice = rng.Next(3);
                if (choice == 0)
                {
                    int field = new[] { 40, 44, 48, 196, 200, 204, 76, 80, 84, 216 }[rng.Next(10)];
                    F(field, v);
                    return new FuzzMutant(seed, b, kind, $"float at {field} = {v}");
                }
                int mode = be ? BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(12)) : BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(12));
                int start = 1024 + (be ? 80 : 0);
                if (mode != 2) { F(40, v); return new FuzzMutant(seed, b, kind, $"cella x = {v}"); }
                int count = choice == 1 ? (b.Length - start) / 4 : 1 + rng.Next(20);
                for (int i = 0; i < count; i++)
                {
                    int at = choice == 1 ? start + 4 * i : start + 4 * rng.Next((b.Length - start) / 4);
                    F(at, v);
                }
                return new FuzzMutant(seed, b, kind, $"{count} voxels = {v}");
            }
        }
    }

    private static FuzzMutant MutateTiff(FuzzSeed seed, byte[] b, string kind, Random rng)
    {
        var t = new TiffBytes(b);
        var dirs = t.Directories();
        int page = rng.Next(dirs.Count);
        uint ifd = dirs[page];
        int entries = t.U16((int)ifd);
        int Entry(ushort tag)
        {
            for (int i = 0; i < entries; i++) if (t.U16((int)ifd + 2 + 12 * i) == tag) return (int)ifd + 2 + 12 * i;
            return (int)ifd + 2 + 12 * rng.Next(entries);
        }
        void SetValue(int entry, uint v)
        {
            if (t.U16(entry + 2) == 3) t.W16(entry + 8, (ushort)v); else t.W32(entry + 8, v);
        }
        uint Odd() => new[] { 0u, 1u, 3u, 7u, (uint)b.Length - 1, (uint)b.Length, (uint)b.Length + 100, 0xFFFFFFFFu, 0x7FFFFFFFu, 65535u, 65536u, (uint)rng.Next(b.Length) }[rng.Next(12)];
        switch (kind)
        {
            case "flip-header":
            {
                int n = 1 + rng.Next(6);
                int span = 2 + 12 * entries + 4;
                var where = new List<int>();
                for (int i = 0; i < n; i++) { int at = (int)ifd + rng.Next(span); b[at] = (byte)rng.Next(256); where.Add(at); }
                return new FuzzMutant(seed, b, kind, $"page {page} directory bytes at " + string.Join(",", where));
            }
            case "dimensions":
            {
                ushort tag = new ushort[] { 256, 257, 278, 322, 323 }[rng.Next(5)];
                uint v = (uint)AbsurdInts[rng.Next(AbsurdInts.Length)];
                SetValue(Entry(tag), v);
                return new FuzzMutant(seed, b, kind, $"page {page} tag {tag} = {v}");
            }
            case "mode":
            {
                ushort tag = new ushort[] { 258, 259, 262, 277, 284, 339, 317 }[rng.Next(7)];
                uint v = new uint[] { 0, 1, 2, 3, 4, 5, 7, 8, 12, 16, 24, 32, 64, 255, 32773, 32946, 34712, 65535 }[rng.Next(18)];
                SetValue(Entry(tag), v);
                return new FuzzMutant(seed, b, kind, $"page {page} tag {tag} = {v}");
            }
            case "offsets":
            {
                int choice = rng.Next(4);
                uint v = Odd();
                if (choice == 0) { t.FirstDirectory = v; return new FuzzMutant(seed, b, kind, $"first directory = {v}"); }
                if (choice == 1) { t.W32(t.NextPointer(ifd), v); return new FuzzMutant(seed, b, kind, $"page {page} next = {v}"); }
                ushort tag = new ushort[] { 273, 279, 324, 325, 270, 282 }[rng.Next(6)];
                int e = Entry(tag);
                if (choice == 2) t.W32(e + 4, v); else t.W32(e + 8, v);
                return new FuzzMutant(seed, b, kind, $"page {page} tag {t.U16(e)} {(choice == 2 ? "count" : "value")} = {v}");
            }
            case "nan-inf":
            {
                int e = Entry(282);
                if (t.U16(e) == 282 && rng.Next(2) == 0)
                {
                    uint at = t.U32(e + 8);
                    uint num = new uint[] { 0, 1, uint.MaxValue }[rng.Next(3)], den = new uint[] { 0, 1, uint.MaxValue }[rng.Next(3)];
                    if (at + 8 <= b.Length) { t.W32((int)at, num); t.W32((int)at + 4, den); }
                    return new FuzzMutant(seed, b, kind, $"page {page} XResolution = {num}/{den}");
                }
                // Float data: overwrite samples of the first strip or tile with NaN/Inf (uncompressed pages only make sense, others become garbage).
                int so = Entry(273);
                if (t.U16(so) != 273) so = Entry(324);
                uint data = t.U32(so + 8);
                if (t.U32(so + 4) > 1 && data + 4 <= b.Length) data = t.U32((int)data);
                float f = OddFloats[rng.Next(3)];
                int n = 1 + rng.Next(64);
                for (int i = 0; i < n; i++)
                {
                    long at = data + 4L * rng.Next(64);
                    if (at + 4 <= b.Length) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan((int)at), f);
                }
                return new FuzzMutant(seed, b, kind, $"page {page}: {n} samples = {f}");
            }
            case "ifd-loop":
            {
                int to = rng.Next(page + 1);
                t.W32(t.NextPointer(ifd), dirs[to]);
                return new FuzzMutant(seed, b, kind, $"page {page} next = page {to}");
            }
            default: // imagej-text
            {
                string text = Encoding.Latin1.GetString(b);
                string[] keys = { "images=", "slices=", "spacing=", "unit=" };
                string key = keys[rng.Next(keys.Length)];
                int at = text.IndexOf(key, StringComparison.Ordinal);
                if (at < 0) { b[rng.Next(b.Length)] ^= 0xFF; return new FuzzMutant(seed, b, kind, "no ImageJ text; one byte inverted"); }
                int end = text.IndexOf('\n', at);
                int room = end - at - key.Length;
                string[] values = { "0", "1", "2", "5", "7", "99", "-1", "1e308", "nan", "inf", "x", "", "65536", "micron", "inch", "pixel", "Å" };
                string v = values[rng.Next(values.Length)];
                string padded = v.Length > room ? v[..room] : v.PadRight(room);
                Encoding.Latin1.GetBytes(padded).CopyTo(b, at + key.Length);
                return new FuzzMutant(seed, b, kind, $"{key}{padded.Trim()}");
            }
        }
    }

    /// <summary>
    /// Runs <c>sxtseg COMMAND</c> on <paramref name="mutant"/> in a fresh folder under
    /// <paramref name="work"/> and checks the rules: exit 0 or 2; on 2 one line naming the file and
    /// nothing left in the folder; no partial files ever; no silent truncation (an exit 0 that reports
    /// or writes fewer slices than the valid file had, from a truncated file).
    /// </summary>
    public static FuzzOutcome Run(string command, FuzzMutant mutant, string work, string? model, TimeSpan timeout)
    {
        string dir = Path.Combine(work, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        string input = Path.Combine(dir, mutant.Seed.Name);
        File.WriteAllBytes(input, mutant.Bytes);
        string output = command switch
        {
            "convert" => Path.Combine(dir, mutant.Seed.Tiff ? "out.mrc" : "out.tif"),
            "info" => "",
            _ => Path.Combine(dir, "out"),
        };
        string[] args = command switch
        {
            "info" => new[] { "info", input, "--json" },
            "convert" => new[] { "convert", input, output },
            "measure" => new[] { "measure", input, "--out", output, "--voxel-size", "10" },
            "segment" => new[] { "segment", input, "--out", output, "--model", model ?? "", "--tile", "32", "--workers", "1" },
            _ => throw new ArgumentException($"unknown command {command}", nameof(command)),
        };
        var (code, stdout, err, hung, escaped) = Execute(args, timeout);
        if (hung) return new FuzzOutcome(command, mutant, -1, true, "", $"hang (over {timeout.TotalSeconds:0} s)");
        string problem = "";
        if (escaped is not null) problem = $"exception escaped: {escaped.GetType().Name}: {escaped.Message}";
        else if (code == 1) problem = "internal error";
        else if (code is not (0 or 2)) problem = $"exit code {code}";
        else if (code == 2)
        {
            // Warnings may come first (e.g. "voxel size unknown"); the error itself is one line, the last.
            var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("sxtseg: warning: ", StringComparison.Ordinal)).ToArray();
            if (lines.Length != 1) problem = $"{lines.Length} lines on stderr";
            else if (!lines[0].StartsWith("sxtseg: error: ", StringComparison.Ordinal)) problem = "not an error line";
            else if (!lines[0].Contains(input, StringComparison.Ordinal) && !(output.Length > 0 && lines[0].Contains(output, StringComparison.Ordinal)))
                problem = "error does not name the file";
            else if (Directory.GetFileSystemEntries(dir).Length != 1) problem = "output left behind after an error";
        }
        if (problem.Length == 0 && Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Any(p => p.EndsWith(".partial", StringComparison.Ordinal) || p.EndsWith(".tmp", StringComparison.Ordinal)))
            problem = "temporary file left behind";
        if (problem.Length == 0 && code == 0 && mutant.Truncated)
        {
            int nz = command switch
            {
                "info" => SlicesInJson(stdout),
                "convert" => SlicesIn(output),
                _ => mutant.Seed.Nz,
            };
            if (nz < mutant.Seed.Nz) problem = $"silent truncation: {nz} of {mutant.Seed.Nz} slices, exit 0";
        }
        try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return new FuzzOutcome(command, mutant, code, false, err.Trim(), problem);
    }

    /// <summary>
    /// Runs <c>sxtseg ARGS</c> in-process on its own thread; a run still going after
    /// <paramref name="timeout"/> is reported as hung (its thread is left behind).
    /// </summary>
    public static (int Code, string Out, string Err, bool Hung, Exception? Escaped) Execute(string[] args, TimeSpan timeout)
    {
        int code = -1;
        string err = "", stdout = "";
        Exception? escaped = null;
        var thread = new Thread(() =>
        {
            try
            {
                var o = new StringWriter();
                var e = new StringWriter();
                code = CliApp.Run(args, CliContext.Plain(o, e));
                err = e.ToString();
                stdout = o.ToString();
            }
            catch (Exception ex)
            {
                escaped = ex;
            }
        }, 64 << 20) { IsBackground = true, Name = "fuzz case" };
        thread.Start();
        if (!thread.Join(timeout)) return (-1, "", "", true, null);
        return (code, stdout, err, false, escaped);
    }

    private static int SlicesInJson(string json)
    {
        try { return (int?)JsonNode.Parse(json)?["nz"] ?? -1; }
        catch (System.Text.Json.JsonException) { return -1; }
    }

    private static int SlicesIn(string path)
    {
        try
        {
            using var r = VolumeIO.OpenRead(path);
            return r.Info.Nz;
        }
        catch (SxtSegException) { return -1; }
    }
}
