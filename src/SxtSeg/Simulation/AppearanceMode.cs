namespace SxtSeg.Simulation;

/// <summary>How the appearance parameters (contrasts, noise, optics, reconstruction) are chosen.</summary>
public enum AppearanceMode
{
    /// <summary>As given (the profile's values and any overrides): one look per profile.</summary>
    Fixed,
    /// <summary>Drawn per tomogram from documented ranges, seeded by the simulation seed (<see cref="AppearanceRandomiser"/>).</summary>
    Random,
    /// <summary>
    /// As <see cref="Random"/> (the same draws for the same seed), and the acquisition errors too:
    /// residual misalignment, tilt-angle error, flicker, read noise and flat-field drift
    /// (<see cref="AppearanceRandomiser.ErrorRanges"/>).
    /// </summary>
    RandomErrors,
}
