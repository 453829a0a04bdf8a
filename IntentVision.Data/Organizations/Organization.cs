namespace IntentVision.Data.Organizations;

/// <summary>
/// A tenant. Its id is a short slug chosen at creation (<c>acme</c>, <c>acme-eu</c>) and used in URLs. Points older than
/// <paramref name="RetentionDays"/> days are deleted by the retention job; null keeps them forever.
/// </summary>
public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt, int? RetentionDays = null);
