using System.Runtime.CompilerServices;
using System.Text;

namespace IntentVision.Dashboard.Services.Live;

/// <summary>
/// Reads a text/event-stream body (the WHATWG server-sent events format): "event:" and "data:" lines, an empty
/// line ends an event, lines starting with ':' are comments (heartbeats). Unnamed events are "message".
/// </summary>
public static class ServerSentEventReader
{
    public static async IAsyncEnumerable<LiveEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null || data.Length > 0)
                {
                    yield return new LiveEvent(type ?? "message", data.ToString());
                }

                type = null;
                data.Clear();
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    break;
            }
        }
    }
}
