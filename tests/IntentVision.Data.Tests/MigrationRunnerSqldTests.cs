namespace IntentVision.Data.Tests;

public sealed class MigrationRunnerSqldTests() : MigrationRunnerTests(TestBackend.Sqld);
