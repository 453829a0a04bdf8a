using System.Diagnostics;
using System.Text;
using IntentVision.TestSupport;
using IntentVision.TestSupport.Faults;

namespace IntentVision.Migrator.Tests;

/// <summary>The migrator as a real child process (<c>dotnet IntentVision.Migrator.dll ...</c>), for tests that kill it or run two at once.</summary>
public sealed class MigratorProcess : IDisposable
{
    private readonly ChildOutput _output = new(1024 * 1024);
    private readonly Process _process;

    private MigratorProcess(ProcessStartInfo info)
    {
        _process = _output.Start(info);
    }

    public int Id => _process.Id;

    public string Output => _output.Text;

    public static MigratorProcess Start(params string[] args) => Start(obeyFilePermissions: false, args);

    /// <summary>Starts the migrator; with <paramref name="obeyFilePermissions"/> it runs without root's power to write read-only files.</summary>
    public static MigratorProcess Start(bool obeyFilePermissions, params string[] args)
    {
        var info = ServiceAccount.StartInfo("dotnet", obeyFilePermissions);
        info.ArgumentList.Add(FindMigratorDll());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Keep the child's telemetry quiet: no OTLP endpoint.
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        return new MigratorProcess(info);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no finally block, no rollback, no lock release runs in the child.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static string FindMigratorDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "IntentVision.Migrator.dll");
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "IntentVision.Migrator.runtimeconfig.json")))
        {
            return beside;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var built = Path.Combine(RepositoryLayout.Root, "IntentVision.Migrator", "bin", configuration, "net10.0", "IntentVision.Migrator.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException("Build IntentVision.Migrator first; not found at " + built);
    }

}
