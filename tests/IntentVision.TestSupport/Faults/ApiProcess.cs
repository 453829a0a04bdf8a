using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IntentVision.TestSupport.Faults;

/// <summary>
/// The API as a real child process (<c>dotnet IntentVision.Api.dll</c> from its build output) on a loopback port: what
/// fault tests kill with SIGKILL, run twice on one database (two replicas), run inside a <see cref="PrivateDisk"/> (a
/// full disk), or run without root's power to ignore file permissions (a read-only file). Background jobs are off so
/// only the test writes (anomaly detection, part of every ingest transaction, stays on).
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly ChildOutput _output = new(1024 * 1024);
    private readonly ApiProcessOptions _options;
    private Process? _process;

    private ApiProcess(ApiProcessOptions options, int port)
    {
        _options = options;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The API is not running.");

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>What the API printed so far (its console log).</summary>
    public string Output => _output.Text;

    public static async Task<ApiProcess> StartAsync(ApiProcessOptions options)
    {
        var api = new ApiProcess(options, options.Port ?? LoopbackPort.Free());
        await api.StartAsync();
        return api;
    }

    /// <summary>SIGKILL: the API dies at once, in the middle of whatever it was writing.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Starts the API again (same port, same database) after <see cref="Kill"/>, and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        Kill();
        _process?.Dispose();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // SIGTERM first: the writer drains; then make sure.
            Signals.Send(process.Id, Signals.Terminate);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        _process?.Dispose();
    }

    private async Task StartAsync()
    {
        var dll = FindApiDll();
        var info = ServiceAccount.StartInfo("dotnet", obeyFilePermissions: _options.WithoutFileOverride);
        info.WorkingDirectory = Path.GetDirectoryName(dll)!;
        info.ArgumentList.Add(dll);
        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__intentvision"] = _options.ConnectionString;
        info.Environment["IntentVision__BootstrapAdminKey"] = _options.AdminKey;
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        // Anomaly detection stays on: it runs inside each ingest transaction, so the faults meet it too.
        foreach (var job in new[] { "Forecast", "Alerting", "Prometheus", "IdempotencyCleanup" })
        {
            info.Environment[$"IntentVision__Jobs__{job}__Enabled"] = "false";
        }

        info.Environment["IntentVision__Jobs__Alerting__DispatcherEnabled"] = "false";
        foreach (var (key, value) in _options.Settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        if (_options.Disk is { } disk)
        {
            info = disk.Enter(info);
        }

        var process = _output.Start(info);
        _process = process;
        await WaitUntilAliveAsync(process);
    }

    private async Task WaitUntilAliveAsync(Process process)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with code {process.ExitCode} before it answered:\n{Output}");
            }

            try
            {
                using var alive = await http.GetAsync("/alive");
                if (alive.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The API did not answer /alive within 60 s:\n{Output}");
    }

    private static string FindApiDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name is "Release" ? "Release" : "Debug";
        foreach (var candidate in new[] { configuration, "Debug", "Release" })
        {
            var built = Path.Combine(RepositoryLayout.Root, "IntentVision.Api", "bin", candidate, "net10.0", "IntentVision.Api.dll");
            if (File.Exists(built))
            {
                return built;
            }
        }

        throw new FileNotFoundException("Build IntentVision.Api first (dotnet build IntentVision.Api); its IntentVision.Api.dll was not found under IntentVision.Api/bin.");
    }
}

/// <summary>How to run an <see cref="ApiProcess"/>.</summary>
/// <param name="ConnectionString">The database (<c>file:...</c>, or a server's URL and token).</param>
/// <param name="AdminKey">The bootstrap admin key.</param>
/// <param name="Disk">Run inside this private disk's namespace (its <see cref="PrivateDisk.MountPoint"/> is the API's view).</param>
/// <param name="WithoutFileOverride">Run without the capabilities that let root ignore file permissions.</param>
/// <param name="Settings">More configuration (<c>Section:Key</c> = value).</param>
/// <param name="Port">A fixed port (a restart keeps it); a free one when null.</param>
public sealed record ApiProcessOptions(
    string ConnectionString,
    string AdminKey,
    PrivateDisk? Disk = null,
    bool WithoutFileOverride = false,
    IReadOnlyDictionary<string, string>? ExtraSettings = null,
    int? Port = null)
{
    public IReadOnlyDictionary<string, string> Settings => ExtraSettings ?? new Dictionary<string, string>();
}
