using Microsoft.Playwright;
using Xunit.Abstractions;

namespace IntentVision.BrowserTests;

/// <summary>What the first visit to each page costs on the wire (the dashboard runs as `dotnet run` does, in Development).</summary>
[Collection(DashboardCollection.Name)]
public sealed class WeightTests(DashboardFixture dashboard, ITestOutputHelper output)
{
    private const long Budget = 1_000_000;

    [Fact]
    public async Task TheFirstLoadOfEveryPageStaysUnderOneMegabyteWithOneStylesheetAndNoLargeFont()
    {
        foreach (var (name, path) in dashboard.Topology.Pages)
        {
            var page = await dashboard.NewPageAsync();
            var requests = new List<string>();
            page.Request += (_, request) => requests.Add(new Uri(request.Url).AbsolutePath);
            await page.OpenAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var resources = await page.TransferredResourcesAsync();
            var bytes = (long)resources.Sum(r => r.TransferSize);
            output.WriteLine($"{name}: {bytes:N0} bytes transferred in {requests.Count} requests");

            // Over budget, every resource's sizes: whether something came uncompressed, twice, or was not expected at all.
            Assert.True(bytes <= Budget, $"{name} transferred {bytes:N0} bytes on first load:\n{string.Join('\n', resources)}");
            Assert.Single(requests, r => r.Contains("material-base", StringComparison.Ordinal));
            Assert.DoesNotContain(requests, r => r.Contains("MaterialSymbolsOutlined", StringComparison.Ordinal) || r.Contains("RobotoFlex", StringComparison.Ordinal));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task StaticAssetsAreServedCompressed()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = dashboard.Topology.DashboardUrl };
        var html = await http.GetStringAsync("/migrations");
        var stylesheet = System.Text.RegularExpressions.Regex.Match(html, "href=\"(_content/Radzen.Blazor/css/material-base[^\"]*)\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, stylesheet);
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var response = await http.SendAsync(request);
        var length = (await response.Content.ReadAsByteArrayAsync()).Length;
        output.WriteLine($"{stylesheet}: {response.Content.Headers.ContentEncoding.FirstOrDefault()} {length:N0} bytes");
        Assert.NotEmpty(response.Content.Headers.ContentEncoding);
        Assert.True(length < 200_000, $"The 818 KB stylesheet came as {length:N0} bytes.");
    }
}
