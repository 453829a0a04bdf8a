namespace IntentVision.LibSql;

/// <summary>The state of a data source's circuit breaker (servers only; a file has none and is always <see cref="Closed"/>).</summary>
public enum LibSqlCircuitState
{
    /// <summary>Requests go to the server.</summary>
    Closed,

    /// <summary>The server failed repeatedly: requests fail at once with CIRCUIT_OPEN until the break ends.</summary>
    Open,

    /// <summary>The break ended: one request is trying the server; the others still fail at once until it answers.</summary>
    HalfOpen,
}
