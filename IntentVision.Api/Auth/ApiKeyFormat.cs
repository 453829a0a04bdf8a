using System.Security.Cryptography;
using System.Text;

namespace IntentVision.Api.Auth;

/// <summary>
/// Keys look like <c>ivk_</c> + 43 URL-safe characters (256 random bits), so a leaked one is recognisable in a
/// secret scanner. Only the SHA-256 of a key is stored: with 256 bits of entropy a fast hash cannot be brute-forced.
/// </summary>
public static class ApiKeyFormat
{
    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public const string Prefix = "ivk_";

    /// <summary>Characters kept in clear for listings (the prefix and 8 random characters).</summary>
    public const int DisplayLength = 12;

    /// <summary>The length of every key: the prefix and 256 bits in unpadded base64url.</summary>
    public const int KeyLength = 47;

    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewKeyId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether <paramref name="presented"/> has the shape of an organization key; only such keys are looked up.</summary>
    public static bool IsWellFormed(string presented) =>
        presented.Length == KeyLength && presented.StartsWith(Prefix, StringComparison.Ordinal) && presented.AsSpan(Prefix.Length).IndexOfAnyExcept(Base64UrlCharacters) < 0;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Display(string key) => key.Length <= DisplayLength ? key : key[..DisplayLength];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
