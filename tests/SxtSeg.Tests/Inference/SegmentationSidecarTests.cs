using SxtSeg.Inference;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Inference;

/// <summary>segment.json is written and read by one class: values read back as written, post-processing beside a prediction.</summary>
public sealed class SegmentationSidecarTests
{
    private const string Written = """
        {
          "provenance": { "tool": "sxtseg" },
          "tomogram": "/data/cell01.mrc",
          "shape_xyz": [ 64, 48, 12 ],
          "voxel_size_nm": [ 9.8, 9.8, 10.5 ],
          "model": { "id": "abc123", "description": "tiny", "voxel_size_nm": 9.8, "voxel_size_range_nm": [ 8, 12 ], "threshold": 0.42 },
          "polarity": { "polarity": "dense-dark", "detected": true, "evidence_as_stored": 0.1, "evidence_negated": 0.3, "skewness": -1.5, "slices_sampled": 5 },
          "options": { "tile": 128, "overlap": 24, "batch": 3, "blend": "gaussian", "tta": 4, "fuse_axes": true, "axis_weights": [ 3, 1, 2 ],
                       "threshold": 0.42, "z_smoothing": 2, "min_object_voxels": 31, "min_object_volume_nm3": 5000, "erosion_steps": 1,
                       "crop_border": 3, "cell_mask": true, "probabilities": "byte", "rescale": 0.8, "rescale_enabled": false,
                       "polarity_option": "densedark", "shard": "2/5", "voxel_size_override_nm": null },
          "slices": [ 4, 7 ],
          "cell_mask": { "threshold": 0.25, "coverage": 0.6 },
          "overlay_slices": [ 4, 6 ],
          "labelled_voxels": 777,
          "labelled_fraction": 0.02,
          "timings_s": { "total": 9, "prediction": 7, "network_summed_over_workers": 6, "workers": 2, "postprocessing_and_writing": 1, "megapixels_per_second": 0.5, "network_pixels_per_pixel": 1.2748 },
          "warnings": [ "careful" ]
        }
        """;

    [Fact]
    public void EveryRecordedValueIsReadBack()
    {
        // When a hand-written sidecar is parsed
        var s = SegmentationSidecar.Parse(Written, "segment.json");
        // Then every value is the one written
        Assert.Equal("/data/cell01.mrc", s.Tomogram);
        Assert.Equal((64, 48, 12), s.Shape);
        Assert.Equal(new VoxelSize(9.8, 9.8, 10.5), s.VoxelSize);
        Assert.Equal(new SidecarModel("abc123", "tiny", 9.8, (8, 12), 0.42), s.Model);
        Assert.Equal(Polarity.DenseDark, s.Polarity.Polarity);
        Assert.True(s.Polarity.Detected);
        Assert.Equal((0.1, 0.3, -1.5, 5), (s.Polarity.EvidenceAsIs, s.Polarity.EvidenceInverted, s.Polarity.Skewness, s.Polarity.Slices));
        var o = s.Options;
        Assert.Equal((128, 24, 3, BlendKind.Gaussian, 4), (o.Tiles.TileSize, o.Tiles.Overlap, o.Tiles.BatchSize, o.Tiles.Blend, o.Tiles.Augmentations));
        Assert.True(o.FuseAxes);
        Assert.Equal((3.0, 1.0, 2.0), o.AxisWeights);
        Assert.Equal((0.42, 2, 31L, 5000.0, 1, 3), (o.Threshold, o.ZSmoothing, o.MinObjectVoxels, o.MinObjectVolumeNm3, o.ErosionSteps, o.CropBorder));
        Assert.True(o.CellMask);
        Assert.Equal(ProbabilityOutput.Byte, o.Probabilities);
        Assert.False(o.Rescale);
        Assert.Equal(Polarity.DenseDark, o.Polarity);
        Assert.Equal((2, 5), o.Shard);
        Assert.Equal(0.8, s.Scale);
        Assert.Equal((4, 7), s.Slices);
        Assert.Equal((0.25, 0.6), s.CellMask);
        Assert.Equal(new[] { 4, 6 }, s.OverlaySlices);
        Assert.Equal(777, s.LabelledVoxels);
        Assert.Equal(0.02, s.LabelledFraction);
        Assert.Equal(new SegmentationTimings(9, 7, 6, 2, 1, 0.5, null, 1.2748), s.Timings);
        Assert.Equal(new[] { "careful" }, s.Warnings);
    }

    [Fact]
    public void WrittenTextReadsBackToTheSameText()
    {
        var s = SegmentationSidecar.Parse(Written, "segment.json");
        string text = s.ToJsonString();
        Assert.Equal(text, SegmentationSidecar.Parse(text, "again.json").ToJsonString());
        // and the keys stay in the documented order
        Assert.True(text.IndexOf("\"provenance\"", StringComparison.Ordinal) < text.IndexOf("\"options\"", StringComparison.Ordinal));
        Assert.True(text.IndexOf("\"labelled_voxels\"", StringComparison.Ordinal) < text.IndexOf("\"timings_s\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ShardsOfOneRunShareTheRunKeyAndOtherOptionsDoNot()
    {
        var a = SegmentationSidecar.Parse(Written, "a.json");
        var b = SegmentationSidecar.Parse(Written.Replace("\"2/5\"", "\"3/5\""), "b.json");
        var c = SegmentationSidecar.Parse(Written.Replace("\"z_smoothing\": 2", "\"z_smoothing\": 3"), "c.json");
        Assert.Equal(a.RunOptionsKey, b.RunOptionsKey);
        Assert.NotEqual(a.RunOptionsKey, c.RunOptionsKey);
    }

    [Fact]
    public void TheEvaluationTakesThePostProcessingBesideThePrediction()
    {
        using var dir = new TempDir();
        // Given labels with no sidecar, then with one
        Assert.Equal(new SegmentOptions(), SegmentationSidecar.PostProcessingBeside(dir.File("labels.mrc")));
        File.WriteAllText(dir.File("segment.json"), Written);
        var post = SegmentationSidecar.PostProcessingBeside(dir.File("labels.mrc"));
        // Then the post-processing options come from it, and nothing else does
        Assert.Equal(new SegmentOptions { MinObjectVoxels = 31, MinObjectVolumeNm3 = 5000, ErosionSteps = 1, CropBorder = 3, CellMask = true }, post);
        // and a damaged one is an input error naming the file
        File.WriteAllText(dir.File("segment.json"), "{ \"options\": ");
        var e = Assert.Throws<InvalidInputException>(() => SegmentationSidecar.PostProcessingBeside(dir.File("labels.mrc")));
        Assert.Equal(dir.File("segment.json"), e.Path);
    }
}
