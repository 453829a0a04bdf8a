namespace IntentVision.Api.Ingestion;

/// <summary>
/// What an ingest did. <see cref="Updated"/> counts points whose series and timestamp existed (the new value won).
/// <see cref="Rejected"/> and <see cref="Errors"/> are filled only when partial acceptance was asked for.
/// </summary>
public sealed record IngestResponse(
    int Accepted,
    int Inserted,
    int Updated,
    int Rejected,
    IReadOnlyList<long> SeriesIds,
    IReadOnlyDictionary<string, string[]>? Errors = null);
