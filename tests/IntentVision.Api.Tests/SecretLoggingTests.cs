using System.Net;
using System.Net.Sockets;
using System.Text;
using IntentVision.Api.Auth;
using IntentVision.Api.Logging;

namespace IntentVision.Api.Tests;

/// <summary>
/// Keys and secrets never reach a log, at Trace level, from any component: the framework's request log (path and
/// query at Information), routing and binding (paths and values at Debug), Kestrel's bad-request log, our own code.
/// </summary>
public sealed class SecretLoggingTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    [Fact]
    public async Task NoKeyOrKeyLikeValueIsLoggedAtTraceLevel()
    {
        var tenant = await factory.NewTenant("admin");
        var unknown = ApiKeyFormat.NewKey();
        var secrets = new[] { tenant.Key, tenant.Key[4..], ApiFactory.AdminKey, unknown[4..], "tok-secret-value-123", "pw-hunter2-hunter2", "abcdef-access-secret" };

        using (var bearer = factory.Client(tenant.Key))
        {
            await bearer.GetAsync($"/api/series?api_key={tenant.Key}&token=tok-secret-value-123&dim.host=web");
            await bearer.GetAsync($"/api/series/1/points?limit={unknown}");
            await bearer.GetAsync($"/api/no-such-route/{tenant.Key}?password=pw-hunter2-hunter2");
            await bearer.DeleteAsync($"/api/keys/{tenant.Key}");
        }

        using (var header = factory.Client(null))
        {
            header.DefaultRequestHeaders.Add("X-Api-Key", unknown);
            await header.GetAsync("/api/series");
        }

        using (var admin = factory.Admin())
        {
            await admin.GetAsync($"/api/organizations/{tenant.Id}/series?access_token=abcdef-access-secret");
        }

        // Malformed requests that Kestrel itself refuses and logs with the request line.
        await SendRaw($"GET /api/series?api_key={tenant.Key}\r\n\r\n");
        await SendRaw($"GET /api/series?api_key={tenant.Key} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {tenant.Key}\r\nnot a header\r\n\r\n");

        var logs = string.Join("\n", factory.Logs);
        Assert.Contains("Request starting", logs);
        Assert.Contains("api_key=***", logs);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs);
        }
    }

    [Theory]
    [InlineData("GET /api/series?api_key=abc123secret&limit=5", "GET /api/series?api_key=***&limit=5")]
    [InlineData("?token=t0ken-value", "?token=***")]
    [InlineData("&X-Api-Key=k3y-value", "&X-Api-Key=***")]
    [InlineData("Authorization: Bearer some.jwt.value", "Authorization: Bearer ***")]
    [InlineData("x-api-key: plain-header-key", "x-api-key: ***")]
    [InlineData("failed to bind \"ivk_AbC-_123\"", "failed to bind \"ivk_***\"")]
    [InlineData("path /api/keys/ivk_abc/x", "path /api/keys/ivk_***/x")]
    [InlineData("the bootstrap is bootstrap-admin-key-for-tests-0123456789abcdef!", "the bootstrap is ***!")]
    [InlineData("GET /api/series?metric=cpu&limit=5", "GET /api/series?metric=cpu&limit=5")]
    public void TheRedactorMasksEveryFormOfCredentialAndNothingElse(string text, string expected)
    {
        var redactor = new SecretRedactor([ApiFactory.AdminKey]);
        Assert.Equal(expected, redactor.Redact(text));
    }

    private async Task SendRaw(string request)
    {
        var address = new Uri(factory.Admin().BaseAddress!, "/");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The server answers 400 and closes the connection; either way the request was refused.
        }
    }
}
