namespace IntentVision.Migrator.Tests;

public sealed class MigratorSqldTests() : MigratorBackendTests(TestBackend.Sqld);
