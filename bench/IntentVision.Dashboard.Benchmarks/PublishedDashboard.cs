using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IntentVision.Dashboard.Benchmarks;

/// <summary>
/// The dashboard as it ships: `dotnet publish -c Release` into a temporary folder, started on its own in Production
/// against the topology's API (with the same admin key), on a free loopback port.
/// </summary>
internal sealed class PublishedDashboard : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("intentvision-dashboard-published-").FullName;
    private Process? _process;

    public Uri Url { get; private set; } = null!;

    public async Task StartAsync(string repositoryRoot, Uri api, string adminKey)
    {
        await RunAsync("dotnet", $"publish \"{Path.Combine(repositoryRoot, "IntentVision.Dashboard")}\" -c Release -o \"{_folder}\" -nologo -v q");
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(_folder, "IntentVision.Dashboard.dll")}\"")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = Url.ToString().TrimEnd('/');
        start.Environment["IntentVisionApi__BaseAddress"] = api.ToString();
        start.Environment["IntentVisionApi__ApiKey"] = adminKey;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Url };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/alive")).IsSuccessStatusCode || (await http.GetAsync("/")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The published dashboard did not answer within 60 s.");
            }

            await Task.Delay(250);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
