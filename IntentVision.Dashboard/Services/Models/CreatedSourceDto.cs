namespace IntentVision.Dashboard.Services;

/// <summary>A new source; <see cref="Secret"/> (webhook sources) is in this answer only, so the page shows it once.</summary>
public sealed record CreatedSourceDto(SourceDto Source, string? Secret);
