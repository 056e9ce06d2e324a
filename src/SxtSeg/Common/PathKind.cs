namespace SxtSeg;

/// <summary>What a path names on disk.</summary>
public enum PathKind
{
    /// <summary>Nothing (or a path that cannot be looked at).</summary>
    Missing,
    /// <summary>A regular file.</summary>
    RegularFile,
    /// <summary>A folder.</summary>
    Folder,
    /// <summary>A named pipe (FIFO): reading it waits for a writer, so it is never opened.</summary>
    Fifo,
    /// <summary>A character or block device.</summary>
    Device,
    /// <summary>A Unix socket.</summary>
    Socket,
}
