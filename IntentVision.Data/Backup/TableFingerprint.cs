namespace IntentVision.Data.Backup;

/// <summary>A table's content in two numbers: its row count and a SHA-256 over every value with its storage class, in a stable order.</summary>
public sealed record TableFingerprint(string Table, long Rows, string Checksum);
