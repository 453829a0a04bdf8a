using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace IntentVision.Api.Tests;

/// <summary>
/// Body limits come from endpoint metadata and are enforced by Kestrel per endpoint: 1 MiB anywhere, 8 MiB where
/// points are ingested, in both route forms, declared or chunked, always as a 413 problem that writes nothing.
/// </summary>
public sealed class RequestBodyLimitTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    private const int TwoMegabytes = 2 * 1024 * 1024;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnOrdinaryEndpointRefusesMoreThanOneMegabyte(bool chunked)
    {
        using var admin = factory.Admin();
        var id = "big-" + Guid.NewGuid().ToString("N")[..8];
        var response = await admin.SendAsync(Post("/api/organizations", $$"""{"id":"{{id}}","name":"{{new string('x', TwoMegabytes)}}"}""", chunked));
        await HostileInputTests<ApiFactory>.AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/organizations/{id}")).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IngestionTakesEightMegabytesInBothRouteForms(bool chunked)
    {
        var tenant = await factory.NewTenant("ingest:write");
        using var admin = factory.Admin();
        var body = System.Text.Json.JsonSerializer.Serialize(TestData.Points("bulk", 10_000, i => i, new { padding = new string('x', 150) }, step: TimeSpan.FromSeconds(1)));
        Assert.InRange(body.Length, TwoMegabytes, 8 * 1024 * 1024);

        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.SendAsync(Post("/api/metrics", body, chunked))).StatusCode);
        var named = await admin.SendAsync(Post($"/api/organizations/{tenant.Id}/metrics", body.Replace("\"bulk\"", "\"bulk2\"", StringComparison.Ordinal), chunked));
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal(20_000, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IngestionRefusesMoreThanEightMegabytes(bool chunked)
    {
        var tenant = await factory.NewTenant("ingest:write");
        var huge = "{\"points\":[" + string.Join(",", Enumerable.Repeat("{\"metric\":\"cpu\",\"timestamp\":\"" + TestData.T0.ToString("O") + "\",\"value\":1,\"dimensions\":{\"pad\":\"" + new string('x', 200) + "\"}}", 40_000)) + "]}";
        var response = await tenant.Client.SendAsync(Post("/api/metrics", huge, chunked));
        await HostileInputTests<ApiFactory>.AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task AWebhookPushTakesTheIngestionLimit()
    {
        var tenant = await factory.NewTenant("admin");
        var source = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "hook", type = "webhook" })).Json();
        var path = source.GetProperty("source").GetProperty("pushPath").GetString()!;

        // Two megabytes are read in full (and then refused for their missing signature, not for their size).
        using var anonymous = factory.Client(null);
        var response = await anonymous.SendAsync(Post(path, "{\"points\":[],\"pad\":\"" + new string('x', TwoMegabytes) + "\"}", chunked: false));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static HttpRequestMessage Post(string path, string json, bool chunked)
    {
        var content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json))) : (HttpContent)new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;

        // A declared length over the limit is answered before the body is read; waiting for 100-continue keeps the
        // client from writing into a connection the server has already answered and closed.
        request.Headers.ExpectContinue = !chunked;
        return request;
    }
}
