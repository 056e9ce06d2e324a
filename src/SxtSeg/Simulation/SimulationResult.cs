using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SxtSeg.Imaging;
using SxtSeg.Volumes;

namespace SxtSeg.Simulation;

/// <summary>
/// A simulated tomogram with its exact labels and truth: what <see cref="Simulator"/> returns and
/// what <see cref="Save(string, Provenance, IProgress{ProgressUpdate})"/> writes as one output folder.
/// </summary>
public sealed class SimulationResult
{
    internal SimulationResult(SimulationParameters p, Phantom phantom, Acquisition acquisition, Volume<float> tomogram,
        Volume<byte> membranes, Volume<byte> ignore, Volume<byte> classes, Volume<ushort> instances, Volume<float>? tiltSeries)
    {
        Ignore = ignore;
        Parameters = p;
        Phantom = phantom;
        Acquisition = acquisition;
        Tomogram = tomogram;
        Membranes = membranes;
        Classes = classes;
        Instances = instances;
        TiltSeries = tiltSeries;
        Objects = TruthObjects(phantom);
    }

    /// <summary>The truth of every object of <paramref name="phantom"/> reaching into the field of view, in id order.</summary>
    public static IReadOnlyList<TruthObject> TruthObjects(Phantom phantom)
    {
        var byIndex = phantom.Objects;
        var list = new List<TruthObject>();
        foreach (var o in byIndex)
        {
            if (o.Id == 0) continue;
            var s = o.MeasuredShape;
            var m = s.Moments;
            int parent = o.Parent >= 0 ? byIndex[o.Parent].Id : 0;
            int membraneCount = o.Pores is not null ? 2 : o.MembraneOffsetsNm.Length;
            list.Add(new TruthObject(o.Id, o.Class, o.Kind, parent, s.Volume, s.SurfaceArea, Moments.AxisLengths(m.Covariance),
                m.Centroid, o.CutByFieldOfView, s.Type, s.Describe(), membraneCount, o.Lac));
        }
        return list;
    }

    /// <summary>The parameters simulated.</summary>
    public SimulationParameters Parameters { get; }

    /// <summary>The analytic specimen.</summary>
    public Phantom Phantom { get; }

    /// <summary>The acquisition (angles, shifts, PSF).</summary>
    public Acquisition Acquisition { get; }

    /// <summary>Reconstructed tomogram: LAC in 1/µm.</summary>
    public Volume<float> Tomogram { get; }

    /// <summary>Membrane labels (0/1): every voxel within the shell half-width of a membrane surface.</summary>
    public Volume<byte> Membranes { get; }

    /// <summary>
    /// Ignore mask (0/1): membrane voxels an x–y slice cannot show (face-on, or inside the missing
    /// wedge), a band around them, and the background between two membranes closer than the
    /// resolution. Visible membranes are <see cref="Membranes"/> where this is 0.
    /// </summary>
    public Volume<byte> Ignore { get; }

    /// <summary>Class ids (<see cref="SimClass"/>).</summary>
    public Volume<byte> Classes { get; }

    /// <summary>Instance ids (0 = none; ids match <see cref="Objects"/>).</summary>
    public Volume<ushort> Instances { get; }

    /// <summary>Flat-field-normalised transmission images (x = detector, y = tilt axis, z = projection), when kept.</summary>
    public Volume<float>? TiltSeries { get; }

    /// <summary>Wall-clock seconds per stage (phantom, render, project, detect, reconstruct); never written into outputs.</summary>
    public Dictionary<string, double> Timings { get; } = new(StringComparer.Ordinal);

    /// <summary>Truth for every object reaching into the field of view, by id.</summary>
    public IReadOnlyList<TruthObject> Objects { get; }

    /// <summary>Output file names.</summary>
    public static class Files
    {
        /// <summary>Reconstructed tomogram (float32 MRC).</summary>
        public const string Tomogram = "tomogram.mrc";
        /// <summary>The noise-free twin of the tomogram (float32 MRC; with <see cref="SimulationParameters.CleanTwin"/>).</summary>
        public const string Clean = "clean.mrc";
        /// <summary>Membrane labels (uint8 0/1 MRC).</summary>
        public const string Membranes = "membranes.mrc";
        /// <summary>Membrane labels (uint8 0/255 ImageJ TIFF stack).</summary>
        public const string MembranesTiff = "membranes.tif";
        /// <summary>Ignore mask: voxels no slice-wise segmentation can be judged on (uint8 0/1 MRC).</summary>
        public const string Ignore = "ignore.mrc";
        /// <summary>Class map (uint8 MRC).</summary>
        public const string Classes = "classes.mrc";
        /// <summary>Instance map (uint16 MRC).</summary>
        public const string Instances = "instances.mrc";
        /// <summary>Tilt series (float32 MRC), optional.</summary>
        public const string TiltSeries = "tiltseries.mrc";
        /// <summary>Nominal tilt angles, one per line (IMOD .tlt), with the tilt series.</summary>
        public const string TiltAngles = "tiltseries.tlt";
        /// <summary>Ground truth and parameters.</summary>
        public const string Truth = "truth.json";
        /// <summary>A slice with the membrane labels overlaid.</summary>
        public const string Preview = "preview.png";
    }

    /// <summary>Adds every simulation parameter to <paramref name="provenance"/> and returns it.</summary>
    public static Provenance AddParameters(Provenance provenance, SimulationParameters p)
    {
        foreach (var kv in SimulationParameterTable.Values(p)) provenance.Set(kv.Key, kv.Value);
        return provenance;
    }

    /// <summary>
    /// Writes the output folder atomically (staged, moved into place when complete): tomogram,
    /// labels (MRC and TIFF), class and instance maps, the tilt series if kept, truth.json and a
    /// preview PNG. Nothing appears at <paramref name="folder"/> unless everything was written.
    /// </summary>
    public void Save(string folder, Provenance provenance, IProgress<ProgressUpdate>? progress = null)
    {
        using var output = OutputFolder.Create(folder);
        Save(output, provenance, progress);
        output.Commit();
    }

    /// <summary>Writes the files into a staged <paramref name="output"/> folder (the caller commits).</summary>
    public void Save(OutputFolder output, Provenance provenance, IProgress<ProgressUpdate>? progress = null)
    {
        var p = Parameters;
        int projections = Acquisition.Nominal.Length;
        using var sink = new FolderSink(output, p with { KeepTiltSeries = TiltSeries is not null }, projections, provenance);
        // Feed the volumes in slabs of rows, as the simulator does, so both paths write the same bytes.
        int rows = Math.Max(1, Math.Min(p.Ny, 64));
        int nx = p.Nx, nz = p.Nz;
        var tomo = new float[nz * rows * nx];
        var mem = new byte[nz * rows * nx];
        var ign = new byte[nz * rows * nx];
        var cls = new byte[nz * rows * nx];
        var inst = new ushort[nz * rows * nx];
        var tilt = TiltSeries is null ? null : new float[projections * rows * nx];
        for (int y0 = 0; y0 < p.Ny; y0 += rows)
        {
            int n = Math.Min(rows, p.Ny - y0);
            Gather(Tomogram, y0, n, tomo);
            Gather(Membranes, y0, n, mem);
            Gather(Ignore, y0, n, ign);
            LabelCodes.Join(mem, ign, mem);
            Gather(Classes, y0, n, cls);
            Gather(Instances, y0, n, inst);
            if (TiltSeries is not null) Gather(TiltSeries, y0, n, tilt!);
            sink.WriteRows(y0, n, tomo, mem, cls, inst, tilt);
        }
        sink.Finish(Phantom, Acquisition, Objects, progress);
    }

    private static void Gather<T>(Volume<T> v, int y0, int rows, T[] block) where T : unmanaged
    {
        int nx = v.Nx, n = rows * nx;
        for (int z = 0; z < v.Nz; z++)
            v.Data.AsSpan((int)(((long)z * v.Ny + y0) * nx), n).CopyTo(block.AsSpan(z * n, n));
    }

    /// <summary>Index of the largest count (ties: nearest the middle).</summary>
    internal static int BestSlice(IReadOnlyList<long> counts)
    {
        int mid = counts.Count / 2, best = mid;
        long bestCount = -1;
        for (int z = 0; z < counts.Count; z++)
            if (counts[z] > bestCount || (counts[z] == bestCount && Math.Abs(z - mid) < Math.Abs(best - mid)))
            {
                bestCount = counts[z];
                best = z;
            }
        return best;
    }

    /// <summary>The slice shown in the preview: the one crossing the most organelle voxels (ties: nearest the middle).</summary>
    public int PreviewSlice()
    {
        var counts = new long[Classes.Nz];
        for (int z = 0; z < Classes.Nz; z++)
            foreach (byte b in Classes.Slice(z)) if (b >= (byte)SimClass.Nucleus && b != (byte)SimClass.GoldBead) counts[z]++;
        return BestSlice(counts);
    }

    /// <summary>Renders slice <paramref name="z"/>: the tomogram (left) and the same with membrane labels in red (right).</summary>
    public byte[] PreviewRgb(int z, out int width, out int height)
        => PreviewRgb(Tomogram.Slice(z), Membranes.Slice(z), Tomogram.Nx, Tomogram.Ny, out width, out height);

    /// <summary>A slice (left) beside itself with the membrane labels in red (right), 4 black pixels apart.</summary>
    public static byte[] PreviewRgb(ReadOnlySpan<float> slice, ReadOnlySpan<byte> membranes, int nx, int ny, out int width, out int height)
    {
        var gray = SliceRenderer.ToGray(slice, 0.5, 99.5);
        var plain = SliceRenderer.GrayToRgb(gray);
        var over = SliceRenderer.Overlay(gray, membranes, new Rgb(255, 40, 40), 0.55f);
        const int gapPx = 4;
        width = SliceRenderer.SideBySideWidth(nx, gapPx, 2);
        height = ny;
        return SliceRenderer.SideBySide(nx, ny, gapPx, 0, plain, over);
    }

    private static double R(double v, int digits = 3) => Math.Round(v, digits);

    private static JsonNode? Typed(string s)
    {
        if (s is "true" or "false") return JsonValue.Create(s == "true");
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)) return JsonValue.Create(d);
        return JsonValue.Create(s);
    }

    private static JsonNode? ToNode(object v) => v switch
    {
        double d => JsonValue.Create(R(d, 4)),
        int i => JsonValue.Create(i),
        string s => JsonValue.Create(s),
        double[] a => new JsonArray(a.Select(x => (JsonNode?)JsonValue.Create(R(x, 4))).ToArray()),
        double[][] aa => new JsonArray(aa.Select(x => (JsonNode?)new JsonArray(x.Select(y => (JsonNode?)JsonValue.Create(R(y, 5))).ToArray())).ToArray()),
        _ => JsonValue.Create(v.ToString()),
    };

    /// <summary>The truth.json text: provenance, parameters, acquisition, class table and every object.</summary>
    public string TruthJson(Provenance provenance, int previewSlice = -1)
        => TruthJson(Parameters, Phantom, Acquisition, Objects, AddParameters(provenance, Parameters), previewSlice);

    /// <summary>The truth.json text for a simulation (provenance is written as given).</summary>
    internal static string TruthJson(SimulationParameters p, Phantom ph, Acquisition acq, IReadOnlyList<TruthObject> objectList, Provenance provenance, int previewSlice)
    {
        var parameters = new JsonObject();
        foreach (var kv in SimulationParameterTable.Values(p)) parameters[kv.Key] = Typed(kv.Value);
        var classes = new JsonArray();
        foreach (var c in SimClasses.All)
            classes.Add(new JsonObject { ["id"] = (int)c, ["name"] = SimClasses.Name(c), ["membrane"] = SimClasses.MembraneNote(c) });
        var objects = new JsonArray();
        foreach (var o in objectList) objects.Add(ObjectJson(o, p.VoxelSizeNm));
        var root = new JsonObject
        {
            ["format"] = "sxtseg-simulation-truth",
            ["format_version"] = 1,
            ["provenance"] = provenance.ToJsonObject(),
            ["instrument"] = InstrumentJson(p),
            ["volume"] = VolumeJson(p, previewSlice),
            ["derived"] = DerivedJson(p, ph, acq),
            ["parameters"] = parameters,
            ["appearance"] = AppearanceJson(p),
            ["acquisition"] = new JsonObject
            {
                ["tilt_angles_deg"] = Rounded(acq.Nominal, 4),
                ["actual_angles_deg"] = Rounded(acq.Actual, 4),
                ["shift_x_px"] = Rounded(acq.ShiftU, 3),
                ["shift_y_px"] = Rounded(acq.ShiftV, 3),
                ["beam_gain"] = Rounded(acq.Gain, 4),
            },
            ["specimen"] = SpecimenJson(p, ph, objectList.Count),
            ["classes"] = classes,
            ["objects"] = objects,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The values rounded to <paramref name="digits"/> decimals, as a JSON array.</summary>
    private static JsonArray Rounded(double[] values, int digits)
        => new(values.Select(a => (JsonNode?)JsonValue.Create(R(a, digits))).ToArray());

    /// <summary>One entry of "objects": class, kind, parent, volume, area, axes, centre and the analytic shape.</summary>
    private static JsonObject ObjectJson(TruthObject o, double d)
    {
        var shape = new JsonObject { ["type"] = o.Shape };
        foreach (var kv in o.ShapeParameters) shape[kv.Key] = ToNode(kv.Value);
        return new JsonObject
        {
            ["id"] = o.Id,
            ["class"] = SimClasses.Name(o.Class),
            ["class_id"] = (int)o.Class,
            ["kind"] = o.Kind,
            ["parent_id"] = o.ParentId,
            ["volume_nm3"] = R(o.VolumeNm3, 0),
            ["surface_area_nm2"] = R(o.SurfaceAreaNm2, 0),
            ["principal_axes_nm"] = Rounded(o.AxisLengthsNm, 2),
            ["centre_nm"] = new JsonArray(R(o.CentreNm.X, 2), R(o.CentreNm.Y, 2), R(o.CentreNm.Z, 2)),
            ["centre_voxels"] = new JsonArray(R(o.CentreNm.X / d, 3), R(o.CentreNm.Y / d, 3), R(o.CentreNm.Z / d, 3)),
            ["cut_by_fov"] = o.CutByFieldOfView,
            ["membranes"] = o.MembraneCount,
            ["lac_per_um"] = R(o.Lac, 4),
            ["shape"] = shape,
        };
    }

    /// <summary>The "instrument" block: profile, optics, tilt range and voxel size.</summary>
    private static JsonObject InstrumentJson(SimulationParameters p) => new()
    {
        ["name"] = p.Profile,
        ["zone_width_nm"] = p.ZoneWidthNm,
        ["photon_energy_ev"] = p.PhotonEnergyEv,
        ["tilt_range_deg"] = new JsonArray(p.TiltMinDeg, p.TiltMaxDeg),
        ["tilt_step_deg"] = p.TiltStepDeg,
        ["voxel_size_nm"] = p.VoxelSizeNm,
        ["geometry"] = p.Geometry.ToString().ToLowerInvariant(),
    };

    /// <summary>The "volume" block: size, coordinates and what the values of each output file mean.</summary>
    private static JsonObject VolumeJson(SimulationParameters p, int previewSlice) => new()
    {
        ["size_voxels"] = new JsonArray(p.Nx, p.Ny, p.Nz),
        ["voxel_size_nm"] = p.VoxelSizeNm,
        ["coordinates"] = "nm; voxel (i, j, k) = (x, y, z) has its centre at (i·voxel, j·voxel, k·voxel); tilt axis = y; beam along z at 0° tilt; memory and file order z, y, x",
        ["tomogram_values"] = $"reconstructed linear absorption coefficient in 1/µm ({(p.Reconstruction == ReconstructionMethod.Wbp ? "WBP, " + SimulationParameterTable.Name(p.Filter) + " filter" : "SIRT, " + p.SirtIterations + " iterations")})",
        ["membranes"] = $"1 where the voxel centre lies within {p.ShellHalfWidthVoxels.ToString(CultureInfo.InvariantCulture)} voxels of a membrane surface",
        ["ignore"] = string.Create(CultureInfo.InvariantCulture,
            $"ignore.mrc = 1 on membrane voxels an x–y slice cannot show (normal within {Math.Clamp(90 - p.MaxTiltDeg + p.IgnoreMarginDeg, 0, 90):0.#}° of z = 90° − max tilt {p.MaxTiltDeg:0.#}° + margin {p.IgnoreMarginDeg:0.#}°, or within {p.IgnoreFaceOnDeg:0.#}° of z, or deeper than {p.IgnoreWedgeDepthDeg:0.#}° inside the missing wedge), on a {p.IgnoreBandVoxels:0.#}-voxel band around them, and between two membranes of one object closer than the resolution ({p.ResolutionNm:0.#} nm){(p.IgnoreDefocus > 0 && p.DepthOfFocus ? $", and on membranes whose every edge-on view (tilts within {p.IgnoreMarginDeg:0.#}° of their plane) lies more than {p.IgnoreDefocus:0.##} depths of focus from the focal plane" : "")}; visible membranes = membranes.mrc where ignore.mrc is 0"),
        ["preview_slice_z"] = previewSlice,
    };

    /// <summary>The "derived" block: optics and geometry computed from the parameters.</summary>
    private static JsonObject DerivedJson(SimulationParameters p, Phantom ph, Acquisition acq) => new()
    {
        ["wavelength_nm"] = R(p.WavelengthNm, 5),
        ["numerical_aperture"] = R(p.NumericalAperture, 6),
        ["depth_of_focus_nm"] = R(p.DepthOfFocusNm, 1),
        ["resolution_nm"] = R(p.ResolutionNm, 2),
        ["psf_sigma_in_focus_nm"] = R(acq.Sigma0Px * p.VoxelSizeNm, 3),
        ["ice_thickness_nm"] = R(p.EffectiveIceThicknessNm, 2),
        ["simulated_margin_x_voxels"] = ph.MarginX,
        ["depth_bands_max"] = acq.BandCount,
        ["radermacher_elongation"] = R(SimMath.RadermacherElongation(Math.Min(Math.Max(-p.TiltMinDeg, p.TiltMaxDeg), 89.999)), 4),
    };

    /// <summary>The "specimen" block: sample geometry, cytoplasm, object counts and the placement of each kind.</summary>
    private static JsonObject SpecimenJson(SimulationParameters p, Phantom ph, int objectsInFieldOfView)
    {
        var placements = new JsonArray();
        foreach (var pl in ph.Placements)
            placements.Add(new JsonObject
            {
                ["kind"] = pl.Kind, ["class"] = SimClasses.Name(pl.Class), ["count_in_domain"] = pl.Count,
                ["requested_volume_nm3"] = R(pl.RequestedVolumeNm3, 0), ["placed_volume_nm3"] = R(pl.PlacedVolumeNm3, 0),
                ["achieved_fraction_of_request"] = pl.RequestedVolumeNm3 > 0 ? R(pl.PlacedVolumeNm3 / pl.RequestedVolumeNm3, 4) : 0,
            });
        return new JsonObject
        {
            ["geometry"] = p.Geometry.ToString().ToLowerInvariant(),
            ["ice_bottom_nm"] = ph.Geometry == SampleGeometry.Slab ? R(ph.SlabLoNm, 2) : null,
            ["ice_top_nm"] = ph.Geometry == SampleGeometry.Slab ? R(ph.SlabHiNm, 2) : null,
            ["capillary_inner_radius_nm"] = ph.Geometry == SampleGeometry.Capillary ? R(ph.CapillaryInnerNm, 2) : null,
            ["cytoplasm_volume_in_domain_nm3"] = R(ph.CytoplasmVolumeNm3, 0),
            ["objects_in_domain"] = ph.Objects.Count,
            ["objects_in_field_of_view"] = objectsInFieldOfView,
            ["placements"] = placements,
        };
    }

    /// <summary>The "appearance" block: the mode and, when random, every drawn value with its range.</summary>
    private static JsonObject AppearanceJson(SimulationParameters p)
    {
        var o = new JsonObject { ["mode"] = AppearanceRandomiser.Name(p.Appearance) };
        if (p.Appearance == AppearanceMode.Fixed) return o;
        var drawn = new JsonObject();
        var ranges = new JsonObject();
        var all = new List<AppearanceRange>(AppearanceRandomiser.Ranges(p));
        if (p.Appearance == AppearanceMode.RandomErrors) all.AddRange(AppearanceRandomiser.ErrorRanges);
        foreach (var r in all)
        {
            var param = SimulationParameterTable.Find(r.Parameter)!;
            drawn[r.Parameter] = Typed(param.Get(p));
            ranges[r.Parameter] = r.Range;
        }
        o["seeded_by"] = "the simulation seed";
        o["drawn"] = drawn;
        o["ranges"] = ranges;
        return o;
    }

    /// <summary>The instrument profile named in a simulation folder's truth.json ("instrument" as a name or an object with "name"), or null when absent or unreadable.</summary>
    public static string? ReadInstrument(string folder) => FromTruth(folder, node => node?["instrument"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o => (string?)o["name"],
        _ => null,
    }, null);

    /// <summary>
    /// The effective resolution (nm, "derived.resolution_nm": 1.22 × the zone plate's outermost
    /// zone width) and voxel size (nm) a simulation folder's truth.json states, or null when either
    /// is absent or unreadable.
    /// </summary>
    public static (double ResolutionNm, double VoxelNm)? ReadResolution(string folder) => FromTruth<(double, double)?>(folder, node =>
    {
        if ((double?)node?["derived"]?["resolution_nm"] is not double r || (double?)node?["instrument"]?["voxel_size_nm"] is not double v) return null;
        return r > 0 && v > 0 && double.IsFinite(r) && double.IsFinite(v) ? (r, v) : null;
    }, null);

    /// <summary>
    /// Whether a simulation folder's truth.json records that it was made with a noise-free twin
    /// (<see cref="SimulationParameters.CleanTwin"/>): true or false as recorded, null when the file,
    /// the parameter (simulations older than the option) or the file's syntax is missing.
    /// </summary>
    public static bool? ReadCleanTwin(string folder) => FromTruth<bool?>(folder, node => (string?)node?["provenance"]?["parameters"]?["clean-twin"] switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    }, null);

    /// <summary>Reads one value from a simulation folder's truth.json; <paramref name="missing"/> when the file is absent, unreadable or malformed.</summary>
    private static T FromTruth<T>(string folder, Func<JsonNode?, T> read, T missing)
    {
        string truth = Path.Combine(folder, Files.Truth);
        if (!File.Exists(truth)) return missing;
        try
        {
            return read(JsonNode.Parse(File.ReadAllBytes(truth)));
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException or FormatException)
        {
            return missing;
        }
    }
}
