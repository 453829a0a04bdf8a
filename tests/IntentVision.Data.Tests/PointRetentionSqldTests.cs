namespace IntentVision.Data.Tests;

public sealed class PointRetentionSqldTests() : PointRetentionTests(TestBackend.Sqld);
