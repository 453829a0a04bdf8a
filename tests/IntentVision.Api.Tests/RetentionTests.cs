using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntentVision.Api.Jobs;

namespace IntentVision.Api.Tests;

/// <summary>
/// Retention through the API: an organization's admin sets its period (or clears it), bad periods are 400 naming the
/// field, another organization's is 404, a reading key is 403; the job then deletes that organization's expired points
/// and its series' statistics follow, leaving other organizations' points alone.
/// </summary>
public abstract class RetentionTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    [Fact]
    public async Task AnAdminSetsThePeriodAndTheJobDeletesOnlyThatOrganizationsExpiredPoints()
    {
        var kept = await factory.NewTenant("admin");
        var trimmed = await factory.NewTenant("admin");
        var start = TestData.T0;
        var keptSeries = await kept.Client.Ingest("temp", 288, i => i, start: start, step: TimeSpan.FromMinutes(10));
        var trimmedSeries = await trimmed.Client.Ingest("temp", 288, i => i, start: start, step: TimeSpan.FromMinutes(10));

        using var set = await trimmed.Client.PutAsJsonAsync($"/api/organizations/{trimmed.Id}/retention", new { days = 1 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(1, (await set.Json()).GetProperty("retentionDays").GetInt32());
        Assert.Equal(1, (await trimmed.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{trimmed.Id}")).GetProperty("retentionDays").GetInt32());

        // 48 hours of points from T0: one day after T0 + 2 days, the first 24 hours of them have expired.
        var now = start.AddDays(2);
        await factory.Service<RetentionJob>().RunOnceAsync(now, CancellationToken.None);

        var series = await trimmed.Client.GetFromJsonAsync<JsonElement>($"/api/series/{trimmedSeries}");
        Assert.Equal(144, series.GetProperty("pointCount").GetInt64());
        Assert.Equal(now.AddDays(-1), series.GetProperty("firstTimestamp").GetDateTimeOffset());
        Assert.Equal(288, (await kept.Client.GetFromJsonAsync<JsonElement>($"/api/series/{keptSeries}")).GetProperty("pointCount").GetInt64());
        Assert.Equal(144, await TestData.Count(factory.DataSource, "metrics", trimmed.Id));
        Assert.Equal(288, await TestData.Count(factory.DataSource, "metrics", kept.Id));

        // Cleared: kept forever again.
        using var cleared = await trimmed.Client.PutAsJsonAsync($"/api/organizations/{trimmed.Id}/retention", new { days = (int?)null });
        Assert.Equal(JsonValueKind.Null, (await cleared.Json()).GetProperty("retentionDays").ValueKind);
        await factory.Service<RetentionJob>().RunOnceAsync(now.AddDays(30), CancellationToken.None);
        Assert.Equal(144, await TestData.Count(factory.DataSource, "metrics", trimmed.Id));
    }

    [Fact]
    public async Task BadPeriodsOtherOrganizationsAndReadingKeysAreRefused()
    {
        var tenant = await factory.NewTenant("admin");
        var other = await factory.NewTenant("admin");
        foreach (var days in new[] { 0, -3, 36_501 })
        {
            using var bad = await tenant.Client.PutAsJsonAsync($"/api/organizations/{tenant.Id}/retention", new { days });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Json()).GetProperty("errors").TryGetProperty("days", out _));
        }

        using var foreign = await tenant.Client.PutAsJsonAsync($"/api/organizations/{other.Id}/retention", new { days = 3 });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await other.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{other.Id}")).GetProperty("retentionDays").ValueKind);

        var reader = factory.Client(await factory.NewKey(tenant.Id, ["metrics:read"]));
        using var forbidden = await reader.PutAsJsonAsync($"/api/organizations/{tenant.Id}/retention", new { days = 3 });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }
}

public sealed class RetentionTestsOnFile(ApiFactory factory) : RetentionTests<ApiFactory>(factory);

public sealed class RetentionTestsOnSqld(SqldApiFactory factory) : RetentionTests<SqldApiFactory>(factory);
