using System.Text.RegularExpressions;

namespace IntentVision.Dashboard.Services;

/// <summary>
/// Hides credentials in a database URL before it is shown. The API already strips tokens; this is the second
/// lock, because a token on screen ends up in screenshots and screen shares.
/// </summary>
public static partial class UrlMasking
{
    public const string Hidden = "••••";

    public static string Mask(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return string.Empty;
        }

        var masked = SecretParameter().Replace(url, m => m.Groups["name"].Value + "=" + Hidden);
        return UserInfo().Replace(masked, m => m.Groups["scheme"].Value + Hidden + "@");
    }

    [GeneratedRegex(@"(?<name>authToken|auth_token|token|jwt|password|Auth Token|Password)\s*=\s*[^&;]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.\-]*://)[^/@\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UserInfo();
}
