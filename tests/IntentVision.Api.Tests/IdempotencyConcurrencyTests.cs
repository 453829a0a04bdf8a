using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using IntentVision.Data.Writing;
using IntentVision.TestSupport;

namespace IntentVision.Api.Tests;

/// <summary>
/// Requests with one Idempotency-Key at the same time: the key is reserved inside the writer's transaction that applies
/// the batch, so exactly one request applies it; the others wait for it (they queue behind it in the one writer) and
/// replay its answer, or get 422 when their body differs. The writer is held while the requests arrive, so all of them
/// pass the fast-path read (nothing is stored yet) and meet in one group transaction: the hardest case.
/// </summary>
public abstract class IdempotencyConcurrencyTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    private const int Requests = 8;

    [Fact]
    public async Task EightConcurrentRequestsWithOneKeyApplyTheBatchOnceAndTheOthersReplayItsAnswer()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var body = TestData.Points("same.key", 50, i => i + 0.5);

        var answers = await SendTogetherAsync(tenant, "same-key-same-body", _ => body);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var applied = Assert.Single(answers, a => !a.Replayed);
        Assert.Equal(50, applied.Json.GetProperty("inserted").GetInt32());
        Assert.Equal(0, applied.Json.GetProperty("updated").GetInt32());
        Assert.All(answers.Where(a => a.Replayed), a => Assert.Equal(applied.Body, a.Body));

        var seriesId = applied.Json.GetProperty("seriesIds")[0].GetInt64();
        Assert.Equal(50, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
        var series = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}");
        Assert.Equal(50, series.GetProperty("pointCount").GetInt64());
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM idempotency_keys WHERE organization_id = @Id AND key = 'same-key-same-body'", new { tenant.Id }));
    }

    [Fact]
    public async Task EightConcurrentRequestsWithOneKeyAndDifferentBodiesApplyOneAndRefuseTheOthersWith422()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");

        // Each request its own values and timestamps: what is stored shows which one was applied, and only it.
        var answers = await SendTogetherAsync(
            tenant,
            "same-key-other-body",
            r => TestData.Points("other.body", 10, i => (r * 100) + i, start: TestData.T0.AddHours(r)));

        var applied = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.False(applied.Replayed);
        Assert.Equal(10, applied.Json.GetProperty("inserted").GetInt32());
        var refused = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        Assert.Equal(Requests - 1, refused.Count);
        foreach (var answer in refused)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
            Assert.Equal("The Idempotency-Key was used for another request.", answer.Json.GetProperty("title").GetString());
            Assert.Equal(422, answer.Json.GetProperty("status").GetInt32());
            Assert.DoesNotContain("Exception", answer.Body, StringComparison.Ordinal);
        }

        var seriesId = applied.Json.GetProperty("seriesIds")[0].GetInt64();
        var stored = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{seriesId}/points");
        var values = stored.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(Enumerable.Range((int)values[0], 10).Select(v => (double)v), values);
        Assert.Equal(10, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    /// <summary>Holds the writer, sends the requests, waits until all of them are queued behind it, then lets it go.</summary>
    private async Task<List<Answer>> SendTogetherAsync(Tenant tenant, string key, Func<int, object> body)
    {
        var writer = factory.Service<DatabaseWriter>();
        var held = new HeldWriteUnit();
        var holding = writer.WriteAsync(held);
        await held.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        List<Task<Answer>> sending;
        try
        {
            sending = Enumerable.Range(0, Requests).Select(r => SendAsync(tenant.Client, key, body(r))).ToList();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (writer.Status.QueueLength < Requests + 1)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"only {writer.Status.QueueLength - 1} of {Requests} requests reached the writer");
                await Task.Delay(10);
            }
        }
        finally
        {
            held.Release.TrySetResult();
            await holding;
        }

        return [.. await Task.WhenAll(sending)];
    }

    private static async Task<Answer> SendAsync(HttpClient client, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/metrics") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var replayed = response.Headers.TryGetValues("Idempotency-Replayed", out var values) && values.Contains("true");
        return new Answer(response.StatusCode, replayed, text, JsonDocument.Parse(text).RootElement.Clone());
    }

    private sealed record Answer(HttpStatusCode Status, bool Replayed, string Body, JsonElement Json);
}

public sealed class IdempotencyConcurrencyTestsOnFile(ApiFactory factory) : IdempotencyConcurrencyTests<ApiFactory>(factory);

public sealed class IdempotencyConcurrencyTestsOnSqld(SqldApiFactory factory) : IdempotencyConcurrencyTests<SqldApiFactory>(factory);
