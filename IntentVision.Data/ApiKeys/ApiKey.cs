namespace IntentVision.Data.ApiKeys;

/// <summary>An API key as stored: never the key itself, only its hash and a short prefix to recognise it by.</summary>
public sealed record ApiKey(
    string Id,
    string OrganizationId,
    string Name,
    string Prefix,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);
