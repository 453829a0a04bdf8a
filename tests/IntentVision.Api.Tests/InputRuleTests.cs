using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntentVision.Api.Tests;

/// <summary>One rule for timestamps in JSON and CSV (an offset is required), Excel's byte order mark, duplicate CSV columns.</summary>
public sealed class InputRuleTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static string Local(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("")]
    [InlineData(".123")]
    public async Task AJsonTimestampWithoutAnOffsetIsA400AndWritesNothing(string fraction)
    {
        var tenant = await factory.NewTenant("ingest:write");
        var body = $$"""{"points":[{"metric":"cpu","timestamp":"{{TestData.T0:yyyy-MM-dd}}T00:00:00Z","value":1},{"metric":"cpu","timestamp":"{{Local(TestData.T0.AddMinutes(1))}}{{fraction}}","value":2}]}""";
        var response = await tenant.Client.PostAsync("/api/metrics", TestData.JsonBody(body));
        await HostileInputTests<ApiFactory>.AssertProblem(response, HttpStatusCode.BadRequest);
        var problem = await response.Json();
        Assert.Equal("$.points[1].timestamp", problem.GetProperty("field").GetString());
        Assert.Contains("offset", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Theory]
    [InlineData("Z")]
    [InlineData("+00:00")]
    [InlineData("+02:00")]
    [InlineData("-05:30")]
    public async Task JsonTimestampsWithAnOffsetAreStoredAsTheInstantTheyName(string offset)
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var at = TestData.T0.AddHours(6);
        var zone = offset == "Z" ? TimeSpan.Zero : TimeSpan.Parse(offset.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture);
        var text = at.ToOffset(zone).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + offset;
        var response = await tenant.Client.PostAsync("/api/metrics", TestData.JsonBody($$"""{"points":[{"metric":"cpu","timestamp":"{{text}}","value":1}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Json()).GetProperty("seriesIds")[0].GetInt64();
        var point = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/series/{id}/points")).GetProperty("points")[0];
        Assert.Equal(at, point.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task ACsvTimestampWithoutAnOffsetIsA400LikeJson()
    {
        var tenant = await factory.NewTenant("ingest:write");
        var csv = $"timestamp,metric,value\n{TestData.T0:O},cpu,1\n{Local(TestData.T0.AddMinutes(1))},cpu,2\n{TestData.T0:yyyy-MM-dd},cpu,3\n";
        var response = await tenant.Client.PostAsync("/api/metrics/csv", new StringContent(csv, Encoding.UTF8, "text/csv"));
        await HostileInputTests<ApiFactory>.AssertProblem(response, HttpStatusCode.BadRequest);
        var errors = (await response.Json()).GetProperty("errors");
        Assert.Contains("offset", errors.GetProperty("rows[1].timestamp")[0].GetString());
        Assert.Contains("offset", errors.GetProperty("rows[2].timestamp")[0].GetString());
        Assert.False(errors.TryGetProperty("rows[0].timestamp", out _));
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }

    [Fact]
    public async Task ACsvExportedByExcelWithAByteOrderMarkIsAccepted()
    {
        var tenant = await factory.NewTenant("ingest:write", "metrics:read");
        var text = $"timestamp,metric,value,host\r\n{TestData.T0:O},cpu,1,web-1\r\n{TestData.T0.AddMinutes(1):O},cpu,2,web-1\r\n";
        var content = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        var response = await tenant.Client.PostAsync("/api/metrics/csv", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Json()).GetProperty("inserted").GetInt32());
        var series = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/series?metric=cpu")).EnumerateArray());
        Assert.Equal("web-1", series.GetProperty("dimensions").GetProperty("host").GetString());
    }

    [Theory]
    [InlineData("timestamp,metric,value,host,host", "host")]
    [InlineData("timestamp,metric,value,Value", "Value")]
    [InlineData("timestamp,Timestamp,metric,value", "Timestamp")]
    public async Task ACsvNamingAColumnTwiceIsA400NamingIt(string header, string twice)
    {
        var tenant = await factory.NewTenant("ingest:write");
        var cells = string.Join(",", header.Split(',').Select(h => h.ToLowerInvariant() switch { "timestamp" => TestData.T0.ToString("O"), "metric" => "cpu", "value" => "1", _ => "x" }));
        var response = await tenant.Client.PostAsync("/api/metrics/csv", new StringContent($"{header}\n{cells}\n", Encoding.UTF8, "text/csv"));
        await HostileInputTests<ApiFactory>.AssertProblem(response, HttpStatusCode.BadRequest);
        var message = (await response.Json()).GetProperty("errors").GetProperty("header")[0].GetString();
        Assert.Contains("more than once", message);
        Assert.Contains(twice, message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await TestData.Count(factory.DataSource, "metrics", tenant.Id));
    }
}
