using System.Net;
using System.Net.Sockets;
using IntentVision.Api.Egress;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Tests;

/// <summary>The egress policy's address rules, and the egress client's caps against real loopback servers (loopback allow-listed here).</summary>
public sealed class EgressTests
{
    private static EgressPolicy Policy(params string[] allow) => new(Options.Create(new EgressOptions { Allow = [.. allow] }));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("0.0.0.0")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:a00:1::")]
    public void InternalAddressesAreDeniedByDefault(string address) =>
        Assert.False(Policy().Allows("host.example", IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddressesAreAllowed(string address) =>
        Assert.True(Policy().Allows("host.example", IPAddress.Parse(address)));

    [Fact]
    public void TheAllowListOpensCidrsAndHostNames()
    {
        var policy = Policy("10.20.0.0/16", "metrics.internal", "*.corp.example", "::1");
        Assert.True(policy.Allows("x", IPAddress.Parse("10.20.3.4")));
        Assert.True(policy.Allows("x", IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.False(policy.Allows("x", IPAddress.Parse("10.21.0.1")));
        Assert.True(policy.Allows("metrics.internal", IPAddress.Parse("192.168.5.5")));
        Assert.True(policy.Allows("a.b.corp.example", IPAddress.Parse("10.0.0.1")));
        Assert.False(policy.Allows("corp.example.evil", IPAddress.Parse("10.0.0.1")));
        Assert.True(policy.Allows("x", IPAddress.IPv6Loopback));
        Assert.False(policy.Allows("x", IPAddress.Loopback));
        Assert.True(policy.RefusesLiteral(new Uri("http://169.254.169.254/")));
        Assert.True(policy.RefusesLiteral(new Uri("http://[::ffff:a9fe:a9fe]/")));
        Assert.False(policy.RefusesLiteral(new Uri("http://internal.example/")));
    }

    private static EgressHttpClient Client(params string[] allow)
    {
        var options = Options.Create(new EgressOptions { Allow = [.. allow] });
        return new EgressHttpClient(new EgressConnector(new EgressPolicy(options), NullLogger<EgressConnector>.Instance), options);
    }

    [Fact]
    public async Task LoopbackIsRefusedAtConnectTimeWithoutAConnection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var http = Client();
        foreach (var url in new[] { $"http://127.0.0.1:{port}/", $"http://localhost:{port}/", $"http://[::ffff:127.0.0.1]:{port}/" })
        {
            var refused = await Assert.ThrowsAsync<EgressException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), 1024, TimeSpan.FromSeconds(5), CancellationToken.None));
            Assert.Equal(EgressFailure.RefusedByPolicy, refused.Failure);
            Assert.DoesNotContain("127.0.0.1", refused.Message);
        }

        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task RedirectsAreNotFollowedAndBodiesAreCappedWithoutContentLengthAndSlowAnswersTimeOut()
    {
        var hits = 0;
        await using var server = await LoopbackServer.StartAsync(_ => { }, app =>
        {
            app.MapGet("/redirect", () => Results.Redirect("/target"));
            app.MapGet("/target", () =>
            {
                Interlocked.Increment(ref hits);
                return Results.Ok();
            });
            app.MapGet("/chunked", async (HttpResponse response) =>
            {
                // No Content-Length: chunked, and longer than the cap.
                for (var i = 0; i < 64; i++)
                {
                    await response.WriteAsync(new string('x', 1024));
                    await response.Body.FlushAsync();
                }
            });
            app.MapGet("/slow", async (CancellationToken aborted) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(30), aborted);
                return Results.Ok();
            });
        });
        using var http = Client("127.0.0.1/32");
        var redirect = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/redirect"), 1024, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(302, redirect.StatusCode);
        Assert.Equal(0, hits);

        var large = await Assert.ThrowsAsync<EgressException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/chunked"), 16 * 1024, TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(EgressFailure.BadResponse, large.Failure);

        var slow = await Assert.ThrowsAsync<EgressException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/slow"), 1024, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.Equal(EgressFailure.TimedOut, slow.Failure);
    }

    [Fact]
    public async Task AClosedPortIsAConnectionFailureWithoutSocketDetail()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var http = Client("127.0.0.1/32");
        var failed = await Assert.ThrowsAsync<EgressException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/"), 1024, TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(EgressFailure.ConnectionFailed, failed.Failure);
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), failed.Describe());
        Assert.DoesNotContain("127.0.0.1", failed.Describe());
    }
}
