using System.Collections.Concurrent;
using System.Threading.Channels;

namespace IntentVision.Api.Detection;

/// <summary>
/// Series that received points and wait for anomaly detection. A series already waiting is not queued twice,
/// so a burst of batches for one series costs one detection pass, and the queue stays as small as the number of series.
/// </summary>
public sealed class DetectionQueue
{
    private readonly Channel<SeriesRef> _channel = Channel.CreateUnbounded<SeriesRef>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, byte> _waiting = new();

    public int Waiting => _waiting.Count;

    public void Enqueue(string organizationId, IEnumerable<long> seriesIds)
    {
        foreach (var id in seriesIds)
        {
            if (_waiting.TryAdd(id, 0))
            {
                _channel.Writer.TryWrite(new SeriesRef(organizationId, id));
            }
        }
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes one waiting series, if any; from then on new points for it queue it again.</summary>
    public bool TryDequeue(out SeriesRef series)
    {
        if (_channel.Reader.TryRead(out series!))
        {
            _waiting.TryRemove(series.SeriesId, out _);
            return true;
        }

        return false;
    }
}
