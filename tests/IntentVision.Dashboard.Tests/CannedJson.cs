namespace IntentVision.Dashboard.Tests;

/// <summary>JSON in the shapes the API serves, shared by the page tests.</summary>
internal static class CannedJson
{
    public const string Organizations = """[{"id":"acme","name":"Acme","createdAt":"2026-11-01T00:00:00Z"}]""";

    public const string Series = """
        [{"id":7,"organizationId":"acme","metricKey":"cpu","dimensions":{"host":"a"},"pointCount":3,"firstTimestamp":"2026-11-01T00:00:00Z","lastTimestamp":"2026-11-01T00:02:00Z","resolutionSeconds":60,"updatedAt":"2026-11-01T00:02:00Z"},
         {"id":8,"organizationId":"acme","metricKey":"queue.depth","dimensions":{},"pointCount":0,"firstTimestamp":null,"lastTimestamp":null,"resolutionSeconds":null,"updatedAt":"2026-11-01T00:02:00Z"}]
        """;

    public const string Series7 = """{"id":7,"organizationId":"acme","metricKey":"cpu","dimensions":{"host":"a"},"pointCount":3,"firstTimestamp":"2026-11-01T00:00:00Z","lastTimestamp":"2026-11-01T00:02:00Z","resolutionSeconds":60,"updatedAt":"2026-11-01T00:02:00Z"}""";

    public const string Points7 = """{"seriesId":7,"from":null,"to":null,"mode":"raw","stepSeconds":null,"points":[{"timestamp":"2026-11-01T00:00:00Z","value":1},{"timestamp":"2026-11-01T00:01:00Z","value":5},{"timestamp":"2026-11-01T00:02:00Z","value":3}]}""";

    public const string Series8 = """{"id":8,"organizationId":"acme","metricKey":"queue.depth","dimensions":{},"pointCount":2,"firstTimestamp":"2026-11-01T00:00:00Z","lastTimestamp":"2026-11-01T00:01:00Z","resolutionSeconds":60,"updatedAt":"2026-11-01T00:02:00Z"}""";

    public const string Points8 = """{"seriesId":8,"from":null,"to":null,"mode":"raw","stepSeconds":null,"points":[{"timestamp":"2026-11-01T00:00:00Z","value":2},{"timestamp":"2026-11-01T00:01:00Z","value":4}]}""";

    public const string Forecasts7 = """
        [{"id":3,"organizationId":"acme","seriesId":7,"method":"theta","horizon":2,"modelInfo":"{\"method\":\"theta\",\"historyPoints\":3}","durationMs":4.2,"createdAt":"2026-11-01T00:03:00Z",
          "points":[{"timestamp":"2026-11-01T00:03:00Z","value":3,"lower80":2,"upper80":4,"lower95":1,"upper95":5},{"timestamp":"2026-11-01T00:04:00Z","value":3.5,"lower80":2.2,"upper80":4.8,"lower95":1.1,"upper95":5.9}]}]
        """;

    public const string Anomalies7 = """
        [{"id":11,"organizationId":"acme","seriesId":7,"timestamp":"2026-11-01T00:01:00Z","value":5,"expected":1.5,"score":6.25,"severity":"high","type":"point","context":"{}","detectedAt":"2026-11-01T00:01:05Z","acknowledgedAt":null,"acknowledgedBy":null}]
        """;

    public const string Migrations = """
        {"databaseUrl":"libsql://db-acme.turso.io?authToken=secret-token-value","backend":"Remote","isCurrent":false,"lastAppliedAt":"2026-11-29T06:53:49Z",
         "applied":[{"version":1,"name":"001_initial_schema","state":"Applied","appliedAt":"2026-11-29T06:53:49Z","durationMs":24.3,"appliedChecksum":"ab","fileChecksum":"ab","hasDownScript":true}],
         "pending":[{"version":2,"name":"002_api_keys","state":"Pending","appliedAt":null,"durationMs":null,"appliedChecksum":null,"fileChecksum":"cd","hasDownScript":true}],
         "problems":[{"version":1,"name":"001_initial_schema","state":"Drifted","appliedAt":"2026-11-29T06:53:49Z","durationMs":24.3,"appliedChecksum":"ab","fileChecksum":"ff","hasDownScript":true}]}
        """;

    /// <summary>Many anomalies with distinct values, severities and series, for grid paging, sorting and filtering.</summary>
    public static string ManyAnomalies(int count)
    {
        string[] severities = ["low", "medium", "high", "critical"];
        var items = Enumerable.Range(1, count).Select(i =>
            $$"""{"id":{{i}},"organizationId":"acme","seriesId":{{(i % 2 == 0 ? 7 : 8)}},"timestamp":"2026-11-01T{{i / 60:00}}:{{i % 60:00}}:00Z","value":{{i * 10}},"expected":{{i}},"score":{{i}}.5,"severity":"{{severities[i % 4]}}","type":"point","context":"{}","detectedAt":"2026-11-01T00:00:00Z","acknowledgedAt":null,"acknowledgedBy":null}""");
        return "[" + string.Join(",", items) + "]";
    }
}
