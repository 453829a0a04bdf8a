namespace IntentVision.Aspire.Hosting.LibSql;

/// <summary>What a token lets its bearer do on sqld (the JWT claim <c>a</c>).</summary>
public enum LibSqlAccess
{
    /// <summary>Read and write (<c>"a": "rw"</c>).</summary>
    ReadWrite,

    /// <summary>Read only (<c>"a": "ro"</c>): writes are refused with 403.</summary>
    ReadOnly,
}
