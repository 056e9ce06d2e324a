using SxtSeg.Network;
using SxtSeg.Tests.Reporting;

namespace SxtSeg.Tests.Infrastructure;

/// <summary>
/// A test that needs headless Chromium: reported as skipped (not passed) where it is not installed,
/// and run (so failing without it) where SXTSEG_REQUIRE_CHROMIUM=1, as in CI.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the browser is missing and not required.</summary>
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable is null && !Chromium.Required)
            Skip = "chromium is not installed (apt-get install chromium); CI installs it and requires it (SXTSEG_REQUIRE_CHROMIUM=1)";
    }
}

/// <summary>A test of the no-GPU error path: reported as skipped on a machine with a CUDA device.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when CUDA is available.</summary>
    public NoCudaFactAttribute()
    {
        if (TorchRuntime.CudaAvailable) Skip = "a CUDA device is present: the error for a missing GPU cannot be tested here";
    }
}
