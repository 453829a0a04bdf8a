using System.Net;
using System.Net.Sockets;
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
        var json = $$"""{"id":"{{id}}","name":"{{new string('x', TwoMegabytes)}}"}""";
        var response = chunked ? await PostChunkedReadingEarly("/api/organizations", ApiFactory.AdminKey, json) : await admin.SendAsync(Post("/api/organizations", json, chunked: false));
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
        var response = chunked ? await PostChunkedReadingEarly("/api/metrics", tenant.Key, huge) : await tenant.Client.SendAsync(Post("/api/metrics", huge, chunked: false));
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

    /// <summary>
    /// A chunked upload over the limit, from a client that reads the answer while it writes (as curl does). The server
    /// has to read a chunked body to learn its size; it answers 413 part-way and closes. HttpClient writes the whole
    /// body before it reads, so it can meet the closed connection first and report a broken pipe in place of the
    /// answer (a race a loaded CI machine lost). The answer itself is what is under test, so read it as it arrives.
    /// </summary>
    private async Task<HttpResponseMessage> PostChunkedReadingEarly(string path, string key, string json)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = factory.Client(null);
        var address = client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port, timeout.Token);
        await using var stream = tcp.GetStream();
        var answer = ReadResponse(stream, timeout.Token);
        try
        {
            var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
            var body = Encoding.UTF8.GetBytes(json);
            for (var offset = 0; offset < body.Length && !answer.IsCompleted; offset += 64 * 1024)
            {
                var length = Math.Min(64 * 1024, body.Length - offset);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{length:X}\r\n"), timeout.Token);
                await stream.WriteAsync(body.AsMemory(offset, length), timeout.Token);
                await stream.WriteAsync("\r\n"u8.ToArray(), timeout.Token);
            }

            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), timeout.Token);
        }
        catch (IOException)
        {
            // The server answered and closed before the body ended: the answer is still read below.
        }

        return await answer;
    }

    /// <summary>One HTTP/1.1 response, with a Content-Length or chunked body, as an <see cref="HttpResponseMessage"/>.</summary>
    private static async Task<HttpResponseMessage> ReadResponse(NetworkStream stream, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var received = new List<byte>();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            if (TryParse(received.ToArray()) is { } response)
            {
                return response;
            }

            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"The connection closed before a whole response arrived: {Encoding.UTF8.GetString(received.ToArray())}");
            }

            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static HttpResponseMessage? TryParse(byte[] received)
    {
        var text = Encoding.UTF8.GetString(received);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var lines = text[..end].Split("\r\n");
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var rest = text[(end + 4)..];
        string body;
        if (headers.TryGetValue("Content-Length", out var declared))
        {
            var length = int.Parse(declared, System.Globalization.CultureInfo.InvariantCulture);
            if (rest.Length < length)
            {
                return null;
            }

            body = rest[..length];
        }
        else
        {
            var decoded = new StringBuilder();
            while (true)
            {
                var sizeEnd = rest.IndexOf("\r\n", StringComparison.Ordinal);
                if (sizeEnd < 0)
                {
                    return null;
                }

                var size = Convert.ToInt32(rest[..sizeEnd], 16);
                if (size == 0)
                {
                    break;
                }

                if (rest.Length < sizeEnd + 2 + size + 2)
                {
                    return null;
                }

                decoded.Append(rest, sizeEnd + 2, size);
                rest = rest[(sizeEnd + 2 + size + 2)..];
            }

            body = decoded.ToString();
        }

        var response = new HttpResponseMessage((HttpStatusCode)int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(headers["Content-Type"]);
        return response;
    }
}
