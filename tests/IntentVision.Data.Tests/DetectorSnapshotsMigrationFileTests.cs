namespace IntentVision.Data.Tests;

public sealed class DetectorSnapshotsMigrationFileTests() : DetectorSnapshotsMigrationTests(TestBackend.File);
