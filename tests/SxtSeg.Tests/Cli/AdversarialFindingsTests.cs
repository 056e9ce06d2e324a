using System.Diagnostics;
using SxtSeg.Tests.Infrastructure;
using SxtSeg.Tests.Training;
using SxtSeg.Volumes;

namespace SxtSeg.Tests.Cli;

/// <summary>
/// A fact that needs a small full disk: a 64 KiB tmpfs mounted for the test (Linux, root, and a
/// container allowed to mount). Skipped, with the reason, where that is not possible.
/// </summary>
public sealed class FactWithSmallDiskAttribute : FactAttribute
{
    /// <summary>Tries a mount once at discovery; skips when it fails.</summary>
    public FactWithSmallDiskAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") { Skip = "needs root on Linux to mount a small tmpfs"; return; }
        string probe = Path.Combine(Path.GetTempPath(), $"sxtseg-mount-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(probe);
        try
        {
            if (!SmallDisk.Mount(probe)) Skip = "cannot mount a tmpfs here (mount refused)";
            else SmallDisk.Unmount(probe);
        }
        finally
        {
            try { Directory.Delete(probe); } catch (IOException) { }
        }
    }
}

/// <summary>Mounting and unmounting the small tmpfs of <see cref="FactWithSmallDiskAttribute"/>.</summary>
internal static class SmallDisk
{
    public static bool Mount(string folder) => Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder) == 0;

    public static void Unmount(string folder) => Run("umount", folder);

    private static int Run(string tool, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.WaitForExit(10_000);
            return p.HasExited ? p.ExitCode : -1;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}

/// <summary>
/// What an adversarial pass over the command line found on 2026-11-28 (each once a crash-like
/// failure): a full disk, a crop larger than the training slices, and a title with markup brackets.
/// </summary>
public sealed class AdversarialFindingsTests
{
    private static Volume<byte> Block()
    {
        var v = new Volume<byte>(96, 96, 8, VoxelSize.Isotropic(10));
        for (int z = 1; z < 7; z++)
            for (int y = 10; y < 40; y++)
                for (int x = 10; x < 40; x++) v[z, y, x] = 1;
        return v;
    }

    [FactWithSmallDisk]
    public void AFullDiskIsAOneLineErrorAndLeavesNoPartialFile()
    {
        using var dir = new TempDir();
        string input = dir.File("labels.mrc");
        VolumeIO.Write(input, Block()); // 73,728 voxels: more than the 64 KiB disk holds
        // and a float32 volume four times as large, whose writing fails before the file is complete
        string big = dir.File("big.mrc");
        var f = new Volume<float>(96, 96, 8, VoxelSize.Isotropic(10));
        f.Data.AsSpan().Fill(0.5f);
        VolumeIO.Write(big, f);
        string disk = dir.File("disk");
        Directory.CreateDirectory(disk);
        Assert.True(SmallDisk.Mount(disk));
        try
        {
            foreach (var args in new[]
            {
                new[] { "convert", input, Path.Combine(disk, "x.mrc") },
                new[] { "convert", big, Path.Combine(disk, "y.mrc") },
                new[] { "components", input, "--out", Path.Combine(disk, "c.tif") },
            })
            {
                var r = CliRunner.Run(args);
                RobustnessTests.AssertOneLineError(r, "No space left on device");
                Assert.Empty(Directory.EnumerateFileSystemEntries(disk));
            }
        }
        finally
        {
            SmallDisk.Unmount(disk);
        }
    }

    [Fact]
    public void ACropLargerThanEveryTrainingSliceIsRefusedBeforeAnythingIsWritten()
    {
        using var tmp = new TempDir();
        string sim = SyntheticTrainingData.WriteSimulation(tmp.File("sim"), 48, 48, 8, seed: 1);
        string output = tmp.File("run");
        var r = CliRunner.Run("train", "--sim", sim, "--val-sim", sim, "--out", output, "--crop", "2048", "--batch", "2", "--steps", "2", "--warmup", "1", "--threads", "1");
        // 48 px slices, no scale augmentation: 48 is the largest crop (a multiple of 16)
        RobustnessTests.AssertOneLineError(r, "--crop", "2048", "largest side is 48 px", "give 48 or less");
        Assert.False(Directory.Exists(output));
        // and one that fits is trained as before
        var ok = CliRunner.Run("train", "--sim", sim, "--val-sim", sim, "--out", output, "--crop", "48", "--batch", "2", "--steps", "2", "--warmup", "1", "--validate-every", "2", "--threads", "1");
        Assert.True(ok.ExitCode == 0, ok.Err);
    }

    [Fact]
    public void ATitleWithSquareBracketsIsPrintedAsWritten()
    {
        using var dir = new TempDir();
        string input = dir.File("labels.mrc");
        VolumeIO.Write(input, Block());
        var r = CliRunner.Run("measure", input, "--out", dir.File("m"), "--title", "Cells [WT]");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("Cells [WT]", r.Out);
    }
}
