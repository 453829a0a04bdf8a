namespace IntentVision.Data.Tests;

public sealed class NarrowPointsMigrationSqldTests() : NarrowPointsMigrationTests(TestBackend.Sqld);
