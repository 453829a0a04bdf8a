namespace IntentVision.LibSql.Hrana;

/// <summary>An error as the server reports it: a message and a machine-readable code (<c>SQLITE_CONSTRAINT</c>, <c>STREAM_EXPIRED</c>, ...).</summary>
internal sealed record HranaError(string Message, string? Code)
{
    public bool IsBusy =>
        (Code is not null && Code.StartsWith("SQLITE_BUSY", StringComparison.Ordinal))
        || Message.Contains("database is locked", StringComparison.OrdinalIgnoreCase);
}
