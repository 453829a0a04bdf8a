namespace IntentVision.Data.Tests;

public sealed class DetectorLoadFileTests() : DetectorLoadTests(TestBackend.File);
