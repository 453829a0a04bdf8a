namespace IntentVision.Migrator.Tests;

public enum CliBackend
{
    File,
    Sqld,
}
