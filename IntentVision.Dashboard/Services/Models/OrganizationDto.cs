namespace IntentVision.Dashboard.Services;

// The API's answers as the dashboard reads them. The dashboard does not reference the API or Data projects
// (it talks HTTP only), so these records mirror the JSON, not the server's types.

public sealed record OrganizationDto(string Id, string Name, DateTimeOffset CreatedAt);
