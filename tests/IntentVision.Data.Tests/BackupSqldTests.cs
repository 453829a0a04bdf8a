namespace IntentVision.Data.Tests;

public sealed class BackupSqldTests() : BackupTests(TestBackend.Sqld);
