namespace IntentVision.Data.Tests;

public sealed class DetectorSnapshotsMigrationSqldTests() : DetectorSnapshotsMigrationTests(TestBackend.Sqld);
