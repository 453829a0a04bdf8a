using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntentVision.Api.Tests;

/// <summary>
/// The inputs that answered 500 or leaked .NET text before (issue #14), each as a regression: overflowing steps,
/// aggregates and forecasts over values near ±1.8e308, and the problem+json content type of every error status.
/// </summary>
public abstract class HostileInputTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ApiFactory
{
    /// <summary>Near the largest double: any two of them add up to infinity.</summary>
    private const double Huge = 1.7e308;

    [Theory]
    [InlineData("step=1000000000d")]
    [InlineData("step=999999999w")]
    [InlineData("step=1e300s")]
    [InlineData("step=P99999999Y")]
    [InlineData("step=3661d")]
    public async Task AnOverflowingStepIsA400NamingTheStep(string query)
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("cpu", 3, i => i);
        var response = await tenant.Client.GetAsync($"/api/series/{id}/points?{query}&agg=avg");
        await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty("step", out _));
    }

    [Fact]
    public async Task ASumThatOverflowsIsA422ThatSaysSoOnEveryBackend()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("huge", 60, i => i % 2 == 0 ? Huge : -Huge / 2);
        var response = await tenant.Client.GetAsync($"/api/series/{id}/points?step=10m&agg=sum");
        await AssertProblem(response, (HttpStatusCode)422);
        Assert.Contains("sum", (await response.Json()).GetProperty("detail").GetString());

        // A sum that stays finite is answered as ever.
        var single = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points?step=1m&agg=sum");
        Assert.Equal(Huge, single.GetProperty("points")[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task AnAverageOfHugeValuesStaysFinite()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("huge", 30, i => (i % 3) switch { 0 => Huge, 1 => Huge, _ => -Huge });
        var read = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points?step=1h&agg=avg");
        var mean = Assert.Single(read.GetProperty("points").EnumerateArray()).GetProperty("value").GetDouble();
        Assert.Equal(Huge / 3, mean, Huge * 1e-12);

        var ordinary = await tenant.Client.Ingest("ordinary", 10, i => i * 0.1);
        var plain = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{ordinary}/points?step=1h&agg=avg");
        Assert.Equal(0.45, plain.GetProperty("points")[0].GetProperty("value").GetDouble(), 1e-12);
    }

    public static TheoryData<string> ForecastMethods => new(IntentVision.Analytics.Forecasting.SeriesForecaster.Methods);

    [Theory]
    [MemberData(nameof(ForecastMethods))]
    public async Task ForecastingASeriesOfHugeValuesNeverAnswersWithExceptionText(string method)
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("huge", 200, i => i % 2 == 0 ? Huge : -Huge);
        var response = await tenant.Client.PostAsJsonAsync("/api/forecasts", new { seriesId = id, horizon = 24, method });
        var body = await response.Content.ReadAsStringAsync();
        AssertNoDotNetText(body);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            foreach (var point in (await response.Json()).GetProperty("points").EnumerateArray())
            {
                Assert.All(new[] { "value", "lower80", "upper80", "lower95", "upper95" }, p => Assert.True(double.IsFinite(point.GetProperty(p).GetDouble())));
            }
        }
        else
        {
            // Refused like any series that cannot be forecast: 400 naming seriesId, in words.
            await AssertProblem(response, HttpStatusCode.BadRequest);
            Assert.Contains("too large to forecast", (await response.Json()).GetProperty("errors").GetProperty("seriesId")[0].GetString());
        }
    }

    [Fact]
    public async Task EveryErrorStatusIsProblemJson()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var id = await tenant.Client.Ingest("cpu", 3, i => i);
        using var anonymous = factory.Client(null);
        using var admin = factory.Admin();
        var organization = "dup-" + Guid.NewGuid().ToString("N")[..8];
        await admin.PostAsJsonAsync("/api/organizations", new { id = organization, name = "x" });

        await AssertProblem(await tenant.Client.GetAsync($"/api/series/{id}/points?limit=abc"), HttpStatusCode.BadRequest);
        await AssertProblem(await anonymous.GetAsync("/api/series"), HttpStatusCode.Unauthorized);
        await AssertProblem(await tenant.Client.GetAsync("/api/keys"), HttpStatusCode.Forbidden);
        await AssertProblem(await tenant.Client.GetAsync("/api/series/987654321"), HttpStatusCode.NotFound);
        await AssertProblem(await tenant.Client.GetAsync("/api/no-such-route"), HttpStatusCode.NotFound);
        await AssertProblem(await tenant.Client.DeleteAsync("/api/series"), HttpStatusCode.MethodNotAllowed);
        await AssertProblem(await admin.PostAsJsonAsync("/api/organizations", new { id = organization, name = "again" }), HttpStatusCode.Conflict);
        await AssertProblem(await tenant.Client.PostAsync("/api/forecasts", new StringContent("seriesId=1", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await AssertProblem(await tenant.Client.PostAsync("/api/metrics", new StringContent("a,b", Encoding.UTF8, "text/csv")), HttpStatusCode.UnsupportedMediaType);
        await AssertProblem(await tenant.Client.GetAsync($"/api/series/{id}/points?step=1m&agg=median"), HttpStatusCode.BadRequest);

        var huge = await tenant.Client.Ingest("huge", 2, _ => Huge);
        await AssertProblem(await tenant.Client.GetAsync($"/api/series/{huge}/points?step=1h&agg=sum"), (HttpStatusCode)422);
    }

    [Theory]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":\"high\"}]}", "a number")]
    [InlineData("{\"points\":[{\"metric\":[1],\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1}]}", "a string")]
    [InlineData("{\"points\":[{\"metric\":\"cpu\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"value\":1,\"dimensions\":[1]}]}", "an object")]
    [InlineData("{\"points\":7}", "an array")]
    public async Task AValueOfTheWrongTypeIsNamedInWordsNotDotNetTypes(string body, string expected)
    {
        var tenant = await factory.NewTenant("ingest:write");
        var response = await tenant.Client.PostAsync("/api/metrics", TestData.JsonBody(body));
        await AssertProblem(response, HttpStatusCode.BadRequest);
        var detail = (await response.Json()).GetProperty("detail").GetString()!;
        Assert.True(detail.Contains(expected, StringComparison.Ordinal), detail);
    }

    [Theory]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("from=yesterday", "from")]
    public async Task AQueryParameterThatDoesNotParseIsNamedInWords(string query, string field)
    {
        var tenant = await factory.NewTenant("metrics:read");
        var response = await tenant.Client.GetAsync($"/api/series/1/points?{query}");
        await AssertProblem(response, HttpStatusCode.BadRequest);
        var problem = await response.Json();
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains($"'{field}' must be", problem.GetProperty("detail").GetString());
    }

    internal static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        AssertNoDotNetText(body);
    }

    internal static void AssertNoDotNetText(string body)
    {
        foreach (var marker in new[] { "System.", "Microsoft.", "IntentVision.", "Exception", "   at ", "Nullable`1", "StackTrace" })
        {
            Assert.False(body.Contains(marker, StringComparison.Ordinal), $"'{marker}' in {body}");
        }
    }
}

public sealed class HostileInputTestsOnFile(ApiFactory factory) : HostileInputTests<ApiFactory>(factory);

public sealed class HostileInputTestsOnSqld(SqldApiFactory factory) : HostileInputTests<SqldApiFactory>(factory);
