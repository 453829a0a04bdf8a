namespace IntentVision.Analytics.Forecasting;

/// <summary>A candidate auto combines, with its validation OWA and its weight in the combination.</summary>
internal sealed record CombinationMember(ValidatedCandidate Candidate, double Score, double Weight);
