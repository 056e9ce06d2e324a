using SxtSeg.Tests.Infrastructure;
using SxtSeg.Training;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Training;

/// <summary>Which slices of a simulator folder become annotated training slices.</summary>
public sealed class SimulationSliceChoiceTests
{
    /// <summary>
    /// 14 slices: 0–2 and 11–13 empty (ice), 3 entirely membrane (a flat membrane in the slice
    /// plane), 4–10 with shells. Three annotated + two empty: the filled slice is never taken, the
    /// annotated come from 4–10, the two negatives from the empty ones with all-background labels.
    /// </summary>
    [Fact]
    public void AnnotatedSlicesSkipFilledSlicesAndAddEmptyNegatives()
    {
        using var dir = new TempDir();
        string folder = System.IO.Path.Combine(dir.Path, "sim");
        Directory.CreateDirectory(folder);
        const int n = 48, nz = 14;
        var (shellImage, shellLabels) = SyntheticTrainingData.Shells(n, n, 7, seed: 3);
        var image = new Volume<float>(n, n, nz, VoxelSize.Isotropic(10));
        var labels = new Volume<byte>(n, n, nz, VoxelSize.Isotropic(10));
        var rng = new Random(5);
        for (int z = 0; z < nz; z++)
        {
            var s = image.Slice(z);
            for (int i = 0; i < s.Length; i++) s[i] = (float)(100 + 8 * rng.NextDouble());
        }
        labels.Slice(3).Fill(1);
        for (int z = 0; z < 7; z++)
        {
            shellImage.Slice(z).CopyTo(image.Slice(4 + z));
            shellLabels.Slice(z).CopyTo(labels.Slice(4 + z));
        }
        for (int z = 4; z <= 10; z++) Assert.Contains((byte)1, labels.Slice(z).ToArray());
        VolumeIO.Write(System.IO.Path.Combine(folder, "tomogram.mrc"), image);
        VolumeIO.Write(System.IO.Path.Combine(folder, "membranes.mrc"), labels);

        var inputs = new TrainingInputs { SimulationAnnotatedSlices = 3, SimulationEmptySlices = 2 };
        inputs.Simulations.Add(folder);
        using var data = TrainingDataBuilder.Build(inputs, new TrainingOptions { CropSize = 32, Seed = 1 });
        var chosen = data.AnnotatedTrain.Concat(data.AnnotatedTest).OrderBy(s => s.Z).ToList();
        Assert.Equal(5, chosen.Count);
        Assert.DoesNotContain(chosen, s => s.Z == 3);
        var empty = chosen.Where(s => s.Z < 3 || s.Z > 10).ToList();
        Assert.Equal(2, empty.Count);
        Assert.All(empty, s => Assert.DoesNotContain((byte)1, s.Membrane));
        Assert.Equal(3, chosen.Count(s => s.Z is >= 4 and <= 10));
        Assert.All(chosen.Where(s => s.Z is >= 4 and <= 10), s => Assert.Contains((byte)1, s.Membrane));
    }
}
