namespace IntentVision.Data.Backup;

/// <summary>A dump or restore that will not start: a non-empty restore target, a virtual table, an empty dump. Nothing was written.</summary>
public sealed class BackupRefusedException(string message) : Exception(message);
