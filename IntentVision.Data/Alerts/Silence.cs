namespace IntentVision.Data.Alerts;

/// <summary>Mutes the notifications of alerts whose labels match <see cref="Matchers"/> (JSON owned by the API) between start and end.</summary>
public sealed record Silence(
    long Id,
    string OrganizationId,
    string Matchers,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Comment,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
