namespace IntentVision.Data.Tests;

public sealed class PointRetentionFileTests() : PointRetentionTests(TestBackend.File);
