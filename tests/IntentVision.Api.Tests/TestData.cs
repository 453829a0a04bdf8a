using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using IntentVision.LibSql;

namespace IntentVision.Api.Tests;

internal static class TestData
{
    /// <summary>A whole minute, two days ago: inside the accepted window whatever the clock says.</summary>
    public static readonly DateTimeOffset T0 = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(-2);

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static object Points(string metric, int count, Func<int, double> value, object? dimensions = null, DateTimeOffset? start = null, TimeSpan? step = null) => new
    {
        points = Enumerable.Range(0, count).Select(i => new
        {
            metric,
            timestamp = (start ?? T0) + ((step ?? TimeSpan.FromMinutes(1)) * i),
            value = value(i),
            dimensions,
        }),
    };

    /// <summary>Posts points and returns the first series id.</summary>
    public static async Task<long> Ingest(this HttpClient client, string metric, int count, Func<int, double> value, object? dimensions = null, DateTimeOffset? start = null, TimeSpan? step = null)
    {
        var response = await client.PostAsJsonAsync("/api/metrics", Points(metric, count, value, dimensions, start, step));
        response.EnsureSuccessStatusCode();
        return (await response.Json()).GetProperty("seriesIds")[0].GetInt64();
    }

    public static async Task<long> Count(LibSqlDataSource dataSource, string table, string organizationId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        // Points carry no organization of their own: theirs is their series'.
        var sql = table == "metrics"
            ? "SELECT count(*) FROM metrics m JOIN time_series s ON s.id = m.series_id WHERE s.organization_id = @organizationId"
            : $"SELECT count(*) FROM {table} WHERE organization_id = @organizationId";
        return await connection.ExecuteScalarAsync<long>(sql, new { organizationId });
    }
}
