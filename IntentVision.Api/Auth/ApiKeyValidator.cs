using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IntentVision.Api.Limits;
using IntentVision.Data.ApiKeys;
using Microsoft.Extensions.Options;

namespace IntentVision.Api.Auth;

/// <summary>
/// Turns a presented key into an <see cref="AuthenticatedKey"/>. The bootstrap admin key from configuration is
/// compared by hash in memory (it is never written to the database); organization keys are looked up by hash
/// and cached briefly, so an ingest stream does not pay a database read per request. Revocation through this
/// process takes effect at once; through another process within <see cref="CacheLifetime"/>. A presented key that is
/// not shaped like one costs no read at all, and one found invalid is remembered for
/// <see cref="LimitsOptions.InvalidKeyCacheLifetime"/>, so a flood of bad keys does not become a flood of queries.
/// A key's last use is handed to <see cref="KeyUsageRecorder"/>, which writes it in batches with the next write group:
/// a request never waits for that bookkeeping, not even when the database is slow.
/// </summary>
public sealed class ApiKeyValidator
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    /// <summary>last_used_at is recorded at most this often per key: it is bookkeeping, not an audit log.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public const string BootstrapKeyId = "bootstrap";

    /// <summary>The configuration of the bootstrap (platform admin) key.</summary>
    public const string BootstrapKeySetting = "IntentVision:BootstrapAdminKey";

    /// <summary>Invalid keys remembered at most; beyond, the oldest half is forgotten (a forgotten one costs one read again).</summary>
    private const int MaxInvalidKeys = 10_000;

    private readonly ApiKeyRepository _keys;
    private readonly KeyUsageRecorder _usage;
    private readonly TimeProvider _time;
    private readonly byte[]? _bootstrapHash;
    private readonly TimeSpan _invalidKeyLifetime;
    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _invalid = new(StringComparer.Ordinal);

    public ApiKeyValidator(ApiKeyRepository keys, KeyUsageRecorder usage, TimeProvider time, IConfiguration configuration, IOptions<LimitsOptions> limits)
    {
        _keys = keys;
        _usage = usage;
        _time = time;
        _invalidKeyLifetime = limits.Value.InvalidKeyCacheLifetime;
        var bootstrap = configuration[BootstrapKeySetting];
        if (!string.IsNullOrWhiteSpace(bootstrap))
        {
            _bootstrapHash = SHA256.HashData(Encoding.UTF8.GetBytes(bootstrap.Trim()));
        }
    }

    public async Task<AuthenticatedKey?> ValidateAsync(string presented, CancellationToken cancellationToken)
    {
        if (presented.Length is < 16 or > 256)
        {
            return null;
        }

        var hashBytes = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(hashBytes, _bootstrapHash))
        {
            return new AuthenticatedKey(BootstrapKeyId, null, Scopes.All, IsPlatformAdmin: true);
        }

        if (!ApiKeyFormat.IsWellFormed(presented))
        {
            return null;
        }

        var hash = Convert.ToHexStringLower(hashBytes);
        var now = _time.GetUtcNow();
        if (_invalid.TryGetValue(hash, out var invalidUntil))
        {
            if (now < invalidUntil)
            {
                return null;
            }

            _invalid.TryRemove(hash, out _);
        }

        if (!_cache.TryGetValue(hash, out var entry) || now - entry.LoadedAt > CacheLifetime)
        {
            var key = await _keys.FindByHashAsync(hash, cancellationToken);
            if (key is null || key.RevokedAt is not null)
            {
                _cache.TryRemove(hash, out _);
                RememberInvalid(hash, now);
                return null;
            }

            entry = new CacheEntry(new AuthenticatedKey(key.Id, key.OrganizationId, key.Scopes, false), now, key.LastUsedAt ?? DateTimeOffset.MinValue);
            _cache[hash] = entry;
        }

        if (now - entry.LastUsedWritten >= LastUsedResolution)
        {
            _cache[hash] = entry with { LastUsedWritten = now };
            _usage.Record(entry.Key.KeyId, now);
        }

        return entry.Key;
    }

    /// <summary>Forgets a key at once, e.g. after it was revoked.</summary>
    public void Forget(string keyId)
    {
        foreach (var (hash, entry) in _cache)
        {
            if (entry.Key.KeyId == keyId)
            {
                _cache.TryRemove(hash, out _);
            }
        }
    }

    private void RememberInvalid(string hash, DateTimeOffset now)
    {
        if (_invalidKeyLifetime <= TimeSpan.Zero)
        {
            return;
        }

        if (_invalid.Count >= MaxInvalidKeys)
        {
            foreach (var (stale, _) in _invalid.OrderBy(e => e.Value).Take(MaxInvalidKeys / 2))
            {
                _invalid.TryRemove(stale, out _);
            }
        }

        _invalid[hash] = now + _invalidKeyLifetime;
    }

    private sealed record CacheEntry(AuthenticatedKey Key, DateTimeOffset LoadedAt, DateTimeOffset LastUsedWritten);
}
