namespace IntentVision.Migrator.Tests;

public sealed class MigratorSqldTests() : MigratorBackendTests(CliBackend.Sqld);
