namespace IntentVision.Api.Auth;

/// <summary>Who a valid key speaks for. <see cref="OrganizationId"/> is null for the platform admin (bootstrap) key.</summary>
public sealed record AuthenticatedKey(string KeyId, string? OrganizationId, IReadOnlyList<string> Scopes, bool IsPlatformAdmin);
