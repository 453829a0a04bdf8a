using System.Net;
using System.Net.Http.Json;
using Dapper;
using IntentVision.Data.Writing;
using IntentVision.TestSupport;

namespace IntentVision.Api.Tests;

/// <summary>
/// A key's last use is bookkeeping off the request path: a request only notes it in memory, and the next group of the
/// one writer (usually the request's own write) carries it. So a request never waits for it: with the writer held,
/// a read with a key not seen before is still answered, and nothing is written until a group runs.
/// </summary>
public abstract class KeyUsageTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    [Fact]
    public async Task AKeysLastUseIsWrittenByTheNextWriteGroupAndNeverHoldsARequest()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var writer = factory.Service<DatabaseWriter>();
        var held = new HeldWriteUnit();
        var holding = writer.WriteAsync(held);
        await held.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            // The key's first use: looked up (a read) and noted; the answer does not wait for the held writer.
            using var read = await tenant.Client.GetAsync("/api/series");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.False(holding.IsCompleted);
            Assert.Null(await LastUsedAsync(tenant.Id));
        }
        finally
        {
            held.Release.TrySetResult();
            await holding;
        }

        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var write = await tenant.Client.PostAsJsonAsync("/api/metrics", TestData.Points("key.usage", 3, i => i));
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        var lastUsed = await LastUsedAsync(tenant.Id);
        Assert.NotNull(lastUsed);
        Assert.True(DateTimeOffset.Parse(lastUsed, System.Globalization.CultureInfo.InvariantCulture) > before, lastUsed);
    }

    private async Task<string?> LastUsedAsync(string organizationId)
    {
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT last_used_at FROM api_keys WHERE organization_id = @organizationId", new { organizationId });
    }
}

public sealed class KeyUsageTestsOnFile(ApiFactory factory) : KeyUsageTests<ApiFactory>(factory);

public sealed class KeyUsageTestsOnSqld(SqldApiFactory factory) : KeyUsageTests<SqldApiFactory>(factory);
