namespace IntentVision.Data.Tests;

public sealed class BackupFileTests() : BackupTests(TestBackend.File);
