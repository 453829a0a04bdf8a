using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntentVision.Api.Alerting;
using IntentVision.Api.Egress;
using IntentVision.Api.Sources;

namespace IntentVision.Api.Tests;

/// <summary>
/// No connection from the API reaches a denied address, proven with real listeners on those addresses. That needs the
/// addresses to exist, and a test must never touch the host's network: so the outer test creates a network (and mount)
/// namespace with <c>unshare -n -m</c>, puts every address on its loopback, maps test host names in a private
/// /etc/hosts, and runs <see cref="SsrfInsideNetworkNamespace"/> there with <c>dotnet test</c>. Without unshare (or
/// root) the outer test fails: it never passes by not running.
/// </summary>
public sealed class SsrfTests
{
    public const string InsideVariable = "INTENTVISION_SSRF_NAMESPACE";

    public static readonly string[] Denied = ["10.0.0.1", "169.254.169.254", "192.168.1.1", "172.16.0.1", "100.64.0.1", "127.0.0.1", "fd00::1", "::1"];

    /// <summary>Allow-listed by the test's configuration (private, opened by CIDR) and public (allowed by default).</summary>
    public static readonly string[] Allowed = ["192.168.77.7", "8.8.8.8"];

    public const int Port = 18099;

    public static readonly string Hosts = """
        127.0.0.1 localhost
        ::1 localhost
        10.0.0.1 internal.test
        169.254.169.254 metadata.test
        fd00::1 v6internal.test
        192.168.77.7 allowed.test
        """;

    [Fact]
    public async Task NoConnectionReachesADeniedAddressInsideANetworkNamespace()
    {
        Assert.True(File.Exists("/usr/bin/unshare") || File.Exists("/bin/unshare"), "unshare (util-linux) is required for the SSRF test; install it, and run the tests as root");
        var hosts = Path.Combine(Path.GetTempPath(), $"intentvision-ssrf-hosts-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(hosts, Hosts.Replace("        ", string.Empty, StringComparison.Ordinal) + "\n");
        var addresses = string.Join(" && ", Denied.Concat(Allowed).Where(a => a is not "127.0.0.1" and not "::1").Select(a => $"ip addr add {a}/{(a.Contains(':', StringComparison.Ordinal) ? 128 : 32)} dev lo"));
        var dll = typeof(SsrfTests).Assembly.Location;
        var script = $"ip link set lo up && {addresses} && mount --bind {hosts} /etc/hosts && " +
                     $"{InsideVariable}=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet test {dll} --filter FullyQualifiedName~SsrfInsideNetworkNamespace --logger 'console;verbosity=normal'";
        var start = new ProcessStartInfo("unshare", ["-n", "-m", "bash", "-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        File.Delete(hosts);
        var all = await output + await errors;
        Assert.True(process.ExitCode == 0, $"the namespace run failed (exit {process.ExitCode}):\n{all}");
        Assert.Matches(new Regex(@"Total tests: 1\s+Passed: 1\b"), all);
        Console.WriteLine(all);
    }
}

/// <summary>Skipped unless running inside the namespace <see cref="SsrfTests"/> creates.</summary>
public sealed class NamespaceFactAttribute : FactAttribute
{
    public NamespaceFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(SsrfTests.InsideVariable) != "1")
        {
            Skip = "runs only inside the network namespace that SsrfTests creates";
        }
    }
}

/// <summary>The API with only 192.168.77.0/24 allow-listed (not loopback), on a database file of its own.</summary>
public sealed class NamespaceApiFactory : ApiFactory
{
    protected override IEnumerable<(string Key, string Value)> Settings => [("IntentVision:Egress:Allow:0", "192.168.77.0/24")];
}

public sealed class SsrfInsideNetworkNamespace : IAsyncLifetime
{
    private readonly NamespaceApiFactory _factory = new();
    private readonly ConcurrentDictionary<string, int> _connections = new();
    private readonly List<TcpListener> _listeners = [];
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(SsrfTests.InsideVariable) != "1")
        {
            return;
        }

        foreach (var address in SsrfTests.Denied.Concat(SsrfTests.Allowed).Append("fe80::1"))
        {
            var ip = IPAddress.Parse(address);
            if (ip.IsIPv6LinkLocal)
            {
                ip.ScopeId = 1;
                await RunAsync("ip", "addr add fe80::1/64 dev lo");
            }

            var listener = new TcpListener(ip, SsrfTests.Port);
            listener.Start();
            _listeners.Add(listener);
            _ = AcceptAsync(listener, address);
        }

        await ((IAsyncLifetime)_factory).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listeners.ForEach(l => l.Stop());
        if (Environment.GetEnvironmentVariable(SsrfTests.InsideVariable) == "1")
        {
            await ((IAsyncLifetime)_factory).DisposeAsync();
        }
    }

    [NamespaceFact]
    public async Task DeniedAddressesSeeNoConnectionAndAllowedOnesDo()
    {
        var tenant = await _factory.NewTenant("admin");
        var http = _factory.Service<EgressHttpClient>();
        var literal = SsrfTests.Denied.Select(a => a.Contains(':', StringComparison.Ordinal) ? $"[{a}]" : a)
            .Concat(["[::ffff:10.0.0.1]", "[::ffff:a9fe:a9fe]", "[::ffff:127.0.0.1]", "0.0.0.0", "[fe80::1%251]", "[64:ff9b::a00:1]"]);
        foreach (var host in literal)
        {
            // Straight at the connect-time check, past any validation.
            var refused = await Assert.ThrowsAsync<EgressException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://{host}:{SsrfTests.Port}/metrics"), 1024, TimeSpan.FromSeconds(5), CancellationToken.None));
            Assert.True(refused.Failure == EgressFailure.RefusedByPolicy, $"{host}: {refused.Describe()}");

            // And through the API: refused when the rule or source is written.
            var source = await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "literal " + host, type = "prometheus", url = $"http://{host}:{SsrfTests.Port}/metrics", intervalSeconds = 60 });
            Assert.True(source.StatusCode == HttpStatusCode.BadRequest, $"{host}: {source.StatusCode}");
        }

        // Names that resolve to internal addresses pass validation; the connect-time check refuses them.
        foreach (var name in new[] { "internal.test", "metadata.test", "v6internal.test", "localhost" })
        {
            var created = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name, type = "prometheus", url = $"http://{name}:{SsrfTests.Port}/metrics", intervalSeconds = 60 })).Json();
            var synced = await (await tenant.Client.PostAsync($"/api/sources/{created.GetProperty("source").GetProperty("id").GetInt64()}/sync", null)).Json();
            var error = synced.GetProperty("lastError").GetString()!;
            Assert.StartsWith("refused_by_policy", error);
            Assert.DoesNotMatch(new Regex(@"\d+\.\d+\.\d+\.\d+|::|18099"), error);
        }

        // A redirect from an allowed host to a denied one is not followed.
        var redirected = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "redirect", type = "prometheus", url = $"http://8.8.8.8:{SsrfTests.Port}/redirect", intervalSeconds = 60 })).Json();
        var afterRedirect = await (await tenant.Client.PostAsync($"/api/sources/{redirected.GetProperty("source").GetProperty("id").GetInt64()}/sync", null)).Json();
        Assert.Equal("bad_response: HTTP 302", afterRedirect.GetProperty("lastError").GetString());

        // Webhook and Slack channels at internal names: delivery is refused, for good, with the category only.
        await tenant.Client.PostAsJsonAsync("/api/alert-rules", new
        {
            name = "ssrf",
            kind = "missing_data",
            metricKey = "beat",
            condition = new { maxSilenceSeconds = 60 },
            channels = new object[]
            {
                new { type = "webhook", url = $"http://internal.test:{SsrfTests.Port}/hook", secret = "0123456789abcdef" },
                new { type = "slack", url = $"http://metadata.test:{SsrfTests.Port}/slack" },
                new { type = "webhook", url = $"http://allowed.test:{SsrfTests.Port}/hook", secret = "0123456789abcdef" },
            },
        });
        await tenant.Client.Ingest("beat", 1, _ => 1, start: DateTimeOffset.UtcNow.AddMinutes(-10));
        await _factory.Service<AlertEvaluationJob>().RunOnceAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await _factory.DeliverAsync(tenant.Id);
        var alert = Assert.Single((await tenant.Client.GetFromJsonAsync<JsonElement>("/api/alerts")).EnumerateArray());
        var notifications = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}")).GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(["failed", "failed", "delivered"], notifications.Select(n => n.GetProperty("status").GetString()));
        Assert.All(notifications.Take(2), n => Assert.StartsWith("refused_by_policy", n.GetProperty("lastError").GetString()));

        // The allow-listed private host and the public one were reached.
        var allowed = await (await tenant.Client.PostAsJsonAsync("/api/sources", new { name = "allowed", type = "prometheus", url = $"http://allowed.test:{SsrfTests.Port}/metrics", intervalSeconds = 60 })).Json();
        var scraped = await (await tenant.Client.PostAsync($"/api/sources/{allowed.GetProperty("source").GetProperty("id").GetInt64()}/sync", null)).Json();
        Assert.Equal(JsonValueKind.Null, scraped.GetProperty("lastError").ValueKind);
        Assert.True(_connections.GetValueOrDefault("192.168.77.7") >= 2, "the allow-listed host was scraped and notified");
        Assert.True(_connections.GetValueOrDefault("8.8.8.8") >= 1, "the public host was reached");

        foreach (var denied in SsrfTests.Denied.Append("fe80::1"))
        {
            Assert.True(_connections.GetValueOrDefault(denied) == 0, $"{denied} saw {_connections.GetValueOrDefault(denied)} connection(s)");
        }

        Console.WriteLine("connections: " + JsonSerializer.Serialize(_connections));
    }

    /// <summary>Counts each connection, then answers like a tiny HTTP server (a redirect to a denied address on /redirect).</summary>
    private async Task AcceptAsync(TcpListener listener, string address)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _connections.AddOrUpdate(address, 1, (_, n) => n + 1);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var request = new StringBuilder();
                    while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer);
                        if (read == 0)
                        {
                            return;
                        }

                        request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    var response = request.ToString().StartsWith("GET /redirect", StringComparison.Ordinal)
                        ? $"HTTP/1.1 302 Found\r\nLocation: http://10.0.0.1:{SsrfTests.Port}/metrics\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        : "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nok_metric 1\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
                }
            });
        }
    }

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
    }
}
