namespace IntentVision.Data.Tests;

public sealed class NarrowPointsMigrationFileTests() : NarrowPointsMigrationTests(TestBackend.File);
