namespace IntentVision.Api.Detection;

/// <summary>A series and the organization that owns it.</summary>
public sealed record SeriesRef(string OrganizationId, long SeriesId);
