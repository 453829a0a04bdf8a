using System.Diagnostics;

namespace IntentVision.TestSupport.Faults;

/// <summary>
/// A small disk of its own for a fault test: a tmpfs of a fixed size mounted in a private mount namespace (root,
/// <c>unshare -m</c>), so the host's disks are never touched and the mount vanishes with the test. A holder process
/// keeps the namespace alive; programs run inside it through <see cref="Enter"/> (<c>nsenter</c>), and the test reaches
/// its files from outside through <see cref="HostPath"/> (<c>/proc/&lt;holder&gt;/root/...</c>). <see cref="Fill"/> takes
/// every free byte (writes then fail with ENOSPC: SQLITE_FULL) and <see cref="Free"/> gives them back.
/// </summary>
public sealed class PrivateDisk : IAsyncDisposable
{
    private readonly Process _holder;

    private PrivateDisk(Process holder, string mountPoint, long sizeBytes)
    {
        _holder = holder;
        MountPoint = mountPoint;
        SizeBytes = sizeBytes;
    }

    /// <summary>Where the disk is mounted, as programs inside the namespace see it.</summary>
    public string MountPoint { get; }

    public long SizeBytes { get; }

    /// <summary>The same folder, as this process sees it from outside the namespace.</summary>
    public string HostPath => $"/proc/{_holder.Id}/root{MountPoint}";

    private string FillerPath => Path.Combine(HostPath, "filler");

    /// <summary>Whether this machine lets a test mount a tmpfs in a private namespace (root with unshare and nsenter).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/unshare") && File.Exists("/usr/bin/nsenter") && File.Exists("/usr/bin/setpriv");

    public static async Task<PrivateDisk> CreateAsync(long sizeBytes)
    {
        var mountPoint = Directory.CreateTempSubdirectory("intentvision-disk-").FullName;
        var info = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-m", "--propagation", "private", "sh", "-c", $"mount -t tmpfs -o size={sizeBytes} tmpfs '{mountPoint}' && echo mounted && exec sleep infinity" })
        {
            info.ArgumentList.Add(arg);
        }

        var holder = Process.Start(info) ?? throw new InvalidOperationException("unshare did not start.");
        var first = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (first != "mounted")
        {
            var error = await holder.StandardError.ReadToEndAsync();
            holder.Kill();
            throw new InvalidOperationException($"Could not mount a tmpfs in a private namespace: {error}");
        }

        return new PrivateDisk(holder, mountPoint, sizeBytes);
    }

    /// <summary>The command run inside this disk's namespace: <c>nsenter -t holder -m -- program args</c>, environment kept.</summary>
    public ProcessStartInfo Enter(ProcessStartInfo inner)
    {
        var outer = new ProcessStartInfo("nsenter")
        {
            UseShellExecute = false,
            RedirectStandardOutput = inner.RedirectStandardOutput,
            RedirectStandardError = inner.RedirectStandardError,
            WorkingDirectory = inner.WorkingDirectory,
        };
        outer.ArgumentList.Add("-t");
        outer.ArgumentList.Add(_holder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        outer.ArgumentList.Add("-m");
        outer.ArgumentList.Add("--");
        outer.ArgumentList.Add(inner.FileName);
        foreach (var arg in inner.ArgumentList)
        {
            outer.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in inner.Environment)
        {
            outer.Environment[key] = value;
        }

        return outer;
    }

    /// <summary>Takes every free byte of the disk; returns how many it took.</summary>
    public long Fill()
    {
        var written = 0L;
        var block = new byte[64 * 1024];
        using var filler = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        try
        {
            while (true)
            {
                filler.Write(block);
                written += block.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: the disk is full. Smaller writes take the last partial block too.
        }

        var small = new byte[512];
        try
        {
            while (true)
            {
                filler.Write(small);
                filler.Flush();
                written += small.Length;
            }
        }
        catch (IOException)
        {
        }

        return written;
    }

    /// <summary>Gives the space taken by <see cref="Fill"/> back.</summary>
    public void Free() => File.Delete(FillerPath);

    public ValueTask DisposeAsync()
    {
        try
        {
            _holder.Kill();
            _holder.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _holder.Dispose();
        try
        {
            Directory.Delete(MountPoint);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
