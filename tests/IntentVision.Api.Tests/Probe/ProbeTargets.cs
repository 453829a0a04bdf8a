namespace IntentVision.Api.Tests.Probe;

/// <summary>
/// What exists when the probe starts: the probing organization, another one, valid ids by route parameter name, a
/// valid body by operation, so that a hostile value in one field reaches the validation behind the valid others.
/// </summary>
internal sealed record ProbeTargets(
    string OrganizationId,
    string OtherOrganizationId,
    IReadOnlyDictionary<string, string> Ids,
    IReadOnlyDictionary<string, string> JsonBodies,
    string CsvBody);
