namespace IntentVision.Migrator.Tests;

public sealed class MigratorFileTests() : MigratorBackendTests(TestBackend.File);
