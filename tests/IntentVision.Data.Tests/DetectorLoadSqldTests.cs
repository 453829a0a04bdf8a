namespace IntentVision.Data.Tests;

public sealed class DetectorLoadSqldTests() : DetectorLoadTests(TestBackend.Sqld);
