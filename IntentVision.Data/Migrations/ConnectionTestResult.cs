namespace IntentVision.Data.Migrations;

/// <summary>The answer of <c>migrator test</c>: where, which engine, how fast, and whether a write works.</summary>
public sealed record ConnectionTestResult(string Url, string Backend, string EngineVersion, double RoundTripMs, bool WriteRolledBack);
