using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;

namespace IntentVision.Aspire.Hosting.LibSql;

/// <summary>
/// Mints the EdDSA (Ed25519) JWTs that sqld accepts. Start sqld with <see cref="PublicKey"/> (or
/// <see cref="PublicKeyPem"/>) in <c>SQLD_AUTH_JWT_KEY</c>, and hand each service a token from
/// <see cref="CreateToken"/>. The private key stays in this object unless exported on purpose.
/// </summary>
public sealed class LibSqlTokenIssuer : IDisposable
{
    private readonly Key _key;
    private readonly TimeProvider _time;
    private readonly string _header;

    private LibSqlTokenIssuer(Key key, TimeProvider? timeProvider)
    {
        _key = key;
        _time = timeProvider ?? TimeProvider.System;
        _header = Base64Url.EncodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}"u8);
        PublicKey = Base64Url.EncodeToString(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        PublicKeyPem = Encoding.ASCII.GetString(key.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText));
    }

    /// <summary>The raw 32-byte public key, URL-safe base64 without padding: the form sqld's <c>SQLD_AUTH_JWT_KEY</c> takes.</summary>
    public string PublicKey { get; }

    /// <summary>The public key as a PEM <c>PUBLIC KEY</c> block, which sqld accepts too.</summary>
    public string PublicKeyPem { get; }

    /// <summary>A new random key pair.</summary>
    public static LibSqlTokenIssuer Create(TimeProvider? timeProvider = null) =>
        new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }), timeProvider);

    /// <summary>An issuer for a key saved earlier with <see cref="ExportPrivateKey"/>, so tokens survive a restart.</summary>
    public static LibSqlTokenIssuer FromPrivateKey(string privateKey, TimeProvider? timeProvider = null)
    {
        var seed = Base64Url.DecodeFromChars(privateKey);
        return new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }), timeProvider);
    }

    /// <summary>The 32-byte private seed, URL-safe base64. A secret: store it like a password.</summary>
    public string ExportPrivateKey() => Base64Url.EncodeToString(_key.Export(KeyBlobFormat.RawPrivateKey));

    /// <summary>A signed JWT with <c>a</c> = <c>rw</c> or <c>ro</c>, <c>iat</c> now and <c>exp</c> after <paramref name="lifetime"/> (default 30 days).</summary>
    public string CreateToken(LibSqlAccess access, TimeSpan? lifetime = null)
    {
        var now = _time.GetUtcNow();
        var expires = now + (lifetime ?? TimeSpan.FromDays(30));
        var payload = new MemoryStream();
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("a", access == LibSqlAccess.ReadOnly ? "ro" : "rw");
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteNumber("exp", expires.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        var signingInput = _header + "." + Base64Url.EncodeToString(payload.GetBuffer().AsSpan(0, (int)payload.Length));
        var signature = SignatureAlgorithm.Ed25519.Sign(_key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose() => _key.Dispose();
}
