namespace SxtSeg.Training;

/// <summary>What one label value means.</summary>
public enum LabelClass : byte
{
    /// <summary>Not annotated or ignored: no loss.</summary>
    Ignore = 0,
    /// <summary>Background.</summary>
    Background = 1,
    /// <summary>Membrane.</summary>
    Membrane = 2,
}
