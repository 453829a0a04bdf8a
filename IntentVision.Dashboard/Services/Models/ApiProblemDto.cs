namespace IntentVision.Dashboard.Services;

/// <summary>An RFC 7807 answer; <see cref="Errors"/> names fields by JSON path (name, condition.threshold, channels[0].url).</summary>
public sealed record ApiProblemDto(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);
