namespace IntentVision.Api.Auth;

/// <summary>Claim types of an authenticated key. The key itself is never a claim.</summary>
public static class ApiKeyClaims
{
    public const string Organization = "iv:org";
    public const string Scope = "iv:scope";
    public const string KeyId = "iv:key";
    public const string PlatformAdmin = "iv:platform";
}
