namespace IntentVision.TestSupport;

/// <summary>A <see cref="SqldServer"/> that requires EdDSA JWTs (<c>SQLD_AUTH_JWT_KEY</c>), for auth tests and production-like setups.</summary>
public sealed class SqldServerWithAuth : SqldServer
{
    public SqldServerWithAuth()
        : base(requireAuth: true)
    {
    }
}
