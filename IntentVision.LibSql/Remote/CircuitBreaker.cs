using System.Diagnostics;

namespace IntentVision.LibSql.Remote;

/// <summary>
/// Stops a data source from sending requests to a server that does not answer. After
/// <see cref="LibSqlDataSourceOptions.CircuitFailureThreshold"/> consecutive transport failures (refused or broken
/// connections, timeouts, 502/503/504) every request fails at once with CIRCUIT_OPEN for
/// <see cref="LibSqlDataSourceOptions.CircuitBreakDuration"/>; then one request is let through, and its answer closes the
/// circuit or opens it again. Any answer from the server, an SQL error included, proves it is there.
/// </summary>
/// <remarks>
/// Without it, each caller waits out its own timeout against a stopped server, and a queue of writes piles up behind
/// the first; with it, the failure is answered in microseconds and the service stays responsive until the server is back.
/// </remarks>
internal sealed class CircuitBreaker(int failureThreshold, TimeSpan breakDuration, string displayUrl)
{
    private readonly Lock _lock = new();
    private LibSqlCircuitState _state = LibSqlCircuitState.Closed;
    private int _failures;
    private long _openUntil;
    private bool _trialInFlight;

    public LibSqlCircuitState State
    {
        get
        {
            lock (_lock)
            {
                return _state == LibSqlCircuitState.Open && Stopwatch.GetTimestamp() >= _openUntil ? LibSqlCircuitState.HalfOpen : _state;
            }
        }
    }

    /// <summary>Before a request: lets it through (true when it is the half-open trial), or throws CIRCUIT_OPEN.</summary>
    public bool Enter()
    {
        lock (_lock)
        {
            switch (_state)
            {
                case LibSqlCircuitState.Closed:
                    return false;
                case LibSqlCircuitState.Open when Stopwatch.GetTimestamp() >= _openUntil:
                    _state = LibSqlCircuitState.HalfOpen;
                    _trialInFlight = true;
                    return true;
                case LibSqlCircuitState.HalfOpen when !_trialInFlight:
                    _trialInFlight = true;
                    return true;
                default:
                    throw Refusal();
            }
        }
    }

    /// <summary>The check alone, for callers that queue work before any request (the one database writer).</summary>
    public void ThrowIfOpen()
    {
        lock (_lock)
        {
            if (_state == LibSqlCircuitState.Open && Stopwatch.GetTimestamp() < _openUntil)
            {
                throw Refusal();
            }
        }
    }

    /// <summary>The server answered (whatever the answer): the circuit closes.</summary>
    public void Succeeded()
    {
        lock (_lock)
        {
            _state = LibSqlCircuitState.Closed;
            _failures = 0;
            _trialInFlight = false;
        }
    }

    /// <summary>The server could not be reached or did not answer in time.</summary>
    public void Failed()
    {
        lock (_lock)
        {
            _failures++;
            if (_state == LibSqlCircuitState.HalfOpen || _failures >= failureThreshold)
            {
                _state = LibSqlCircuitState.Open;
                _openUntil = Stopwatch.GetTimestamp() + (long)(breakDuration.TotalSeconds * Stopwatch.Frequency);
                _trialInFlight = false;
            }
        }
    }

    /// <summary>A request ended without a verdict (its caller cancelled it): a half-open trial gives its turn to the next request.</summary>
    public void Abandoned()
    {
        lock (_lock)
        {
            _trialInFlight = false;
        }
    }

    private LibSqlException Refusal()
    {
        var left = TimeSpan.FromSeconds(Math.Max(0, _openUntil - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        return new LibSqlException(
            $"The libSQL server at {displayUrl} failed {failureThreshold} times in a row; requests are refused without contacting it for {left.TotalSeconds:0.0} s more (circuit open).",
            LibSqlException.CircuitOpenCode)
        {
            RequestNotSent = true,
            RetryAfter = left > TimeSpan.Zero ? left : breakDuration,
        };
    }
}
