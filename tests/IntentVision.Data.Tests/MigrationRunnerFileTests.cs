namespace IntentVision.Data.Tests;

public sealed class MigrationRunnerFileTests() : MigrationRunnerTests(TestBackend.File);
