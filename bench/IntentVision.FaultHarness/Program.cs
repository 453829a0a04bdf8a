// The fault harness: runs each goal scenario of issue #12 against the API as real processes, on the file and on sqld,
// and prints one line per scenario: acknowledged points lost and applied twice, answers with status 500 (and other
// wrong answers), the slowest failure, how long writes took to recover after the fault cleared, and how long /health
// took to turn red and green again. Needs root (a tmpfs in a private mount namespace for the full disk, capabilities
// dropped for the read-only file). Only loopback traffic.
// Usage: dotnet run -c Release --project bench/IntentVision.FaultHarness [-- --only <scenario>[,<scenario>...] --runs 10]
using System.Globalization;
using IntentVision.FaultHarness;
using IntentVision.TestSupport.Faults;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

var only = Arg("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var runs = int.Parse(Arg("--runs") ?? "10", CultureInfo.InvariantCulture);
if (!PrivateDisk.IsSupported)
{
    Console.Error.WriteLine("The fault harness needs root on Linux with unshare and nsenter (util-linux): it mounts a small tmpfs in a private mount namespace.");
    return 2;
}

var reports = new List<FaultReport>();
foreach (var scenario in Scenarios.All(runs).Where(s => only is null || only.Contains(s.Name)))
{
    Console.Error.WriteLine($"running {scenario.Name} on {scenario.Backend} ...");
    try
    {
        foreach (var report in await scenario.RunAsync())
        {
            reports.Add(report);
            Console.Error.WriteLine("  " + report);
        }
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"  {scenario.Name} on {scenario.Backend} could not run: {e}");
        return 1;
    }
}

Console.WriteLine(FaultReport.TableHeader);
foreach (var report in reports)
{
    Console.WriteLine(report.ToTableRow());
}

Console.WriteLine();
foreach (var report in reports.Where(r => r.Notes.Length > 0))
{
    Console.WriteLine($"- {report.Scenario} ({report.Backend}): {report.Notes}");
}

return reports.All(Goals.Met) ? 0 : 3;

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
