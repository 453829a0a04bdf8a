using System.Diagnostics;
using System.Text;

namespace IntentVision.TestSupport;

/// <summary>
/// What a child process (sqld, the API, the migrator) printed, line by line from its output events, kept up to a cap
/// so a chatty process cannot grow a test's memory without bound.
/// </summary>
public sealed class ChildOutput(int maxChars)
{
    private readonly StringBuilder _text = new();

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>For <c>OutputDataReceived</c> and <c>ErrorDataReceived</c>: a null line (the stream ended) is ignored.</summary>
    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            if (_text.Length < maxChars)
            {
                _text.AppendLine(line);
            }
        }
    }

    /// <summary>Starts <paramref name="info"/> (output and error redirected) with both streams read into this output.</summary>
    public Process Start(ProcessStartInfo info)
    {
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
