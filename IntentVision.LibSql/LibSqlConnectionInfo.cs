using System.Data.Common;

namespace IntentVision.LibSql;

/// <summary>
/// A parsed libSQL location: the URL as given (minus any token), where it points, and the auth token.
/// Accepts a bare URL (<c>file:db/x.db</c>, <c>http://127.0.0.1:8080</c>, <c>libsql://db-org.turso.io?authToken=...</c>)
/// or keywords (<c>Data Source=&lt;url&gt;;Auth Token=&lt;token&gt;</c>).
/// </summary>
public sealed record LibSqlConnectionInfo
{
    private LibSqlConnectionInfo(LibSqlBackend backend, string url, string? filePath, Uri? httpEndpoint, string? authToken)
    {
        Backend = backend;
        Url = url;
        FilePath = filePath;
        HttpEndpoint = httpEndpoint;
        AuthToken = authToken;
    }

    public LibSqlBackend Backend { get; }

    /// <summary>The database URL without credentials: safe to log and to show.</summary>
    public string Url { get; }

    /// <summary>Absolute path of the database file, for <see cref="LibSqlBackend.EmbeddedFile"/>.</summary>
    public string? FilePath { get; }

    /// <summary>The http(s) base address of the server, for <see cref="LibSqlBackend.Remote"/>.</summary>
    public Uri? HttpEndpoint { get; }

    /// <summary>The bearer token sent to sqld or Turso. Never part of <see cref="ToString"/>.</summary>
    public string? AuthToken { get; }

    public override string ToString() => AuthToken is null ? Url : $"{Url} (auth token set)";

    /// <summary>Parses a URL or a keyword connection string. <paramref name="authToken"/> wins over one in the string.</summary>
    /// <exception cref="ArgumentException">The string is empty, not a libSQL URL, or names an unknown keyword.</exception>
    public static LibSqlConnectionInfo Parse(string connectionString, string? authToken = null, string? baseDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("The libSQL connection string is empty; expected a URL such as 'file:db/intentvision.db' or 'libsql://<db>.turso.io'.", nameof(connectionString));
        }

        var text = connectionString.Trim();
        string url;
        string? token = null;
        if (LooksLikeKeywords(text))
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = text };
            url = null!;
            foreach (string key in builder.Keys)
            {
                var value = Convert.ToString(builder[key]) ?? string.Empty;
                switch (key.Replace(" ", string.Empty).ToLowerInvariant())
                {
                    case "datasource":
                    case "url":
                    case "endpoint":
                        url = value;
                        break;
                    case "authtoken":
                    case "token":
                        token = value.Length == 0 ? null : value;
                        break;
                    default:
                        throw new ArgumentException($"Unknown keyword '{key}' in the libSQL connection string; expected 'Data Source' and optionally 'Auth Token'.", nameof(connectionString));
                }
            }

            if (string.IsNullOrWhiteSpace(url))
            {
                throw new ArgumentException("The libSQL connection string has no 'Data Source' (the database URL).", nameof(connectionString));
            }
        }
        else
        {
            url = text;
        }

        return ParseUrl(url.Trim(), authToken ?? token, baseDirectory ?? Directory.GetCurrentDirectory());
    }

    private static bool LooksLikeKeywords(string text)
    {
        var eq = text.IndexOf('=');
        if (eq < 0)
        {
            return false;
        }

        // A URL's query string has '=' too, but always after a scheme separator.
        var colon = text.IndexOf(':');
        return colon < 0 || eq < colon;
    }

    private static LibSqlConnectionInfo ParseUrl(string url, string? authToken, string baseDirectory)
    {
        var schemeEnd = url.IndexOf(':');
        var scheme = schemeEnd > 0 ? url[..schemeEnd].ToLowerInvariant() : string.Empty;
        switch (scheme)
        {
            case "file":
                return ParseFile(url, authToken, baseDirectory);
            case "http":
            case "https":
            case "libsql":
            case "wss":
            case "ws":
                return ParseRemote(url, scheme, authToken);
            default:
                throw new ArgumentException(
                    $"'{Redact(url)}' is not a libSQL URL: use file:<path>, http(s)://<host>:<port> or libsql://<host>.",
                    nameof(url));
        }
    }

    private static LibSqlConnectionInfo ParseFile(string url, string? authToken, string baseDirectory)
    {
        var rest = url["file:".Length..];
        var query = rest.IndexOf('?');
        if (query >= 0)
        {
            rest = rest[..query];
        }

        // file:///abs, file://localhost/abs and file:/abs are absolute; file:rel/x.db is relative to the working directory.
        if (rest.StartsWith("//localhost/", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest["//localhost".Length..];
        }
        else if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        rest = Uri.UnescapeDataString(rest);
        if (rest.Length == 0)
        {
            throw new ArgumentException("The file: URL names no file; expected e.g. 'file:db/intentvision.db'.", nameof(url));
        }

        var path = Path.GetFullPath(rest, baseDirectory);
        return new LibSqlConnectionInfo(LibSqlBackend.EmbeddedFile, "file:" + path, path, null, authToken);
    }

    private static LibSqlConnectionInfo ParseRemote(string url, string scheme, string? authToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redact(url)}' is not a valid {scheme} URL.", nameof(url));
        }

        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var tokenInUrl = query["authToken"];
        var tlsOff = query["tls"] is "0" or "false";
        var httpScheme = scheme switch
        {
            "http" or "ws" => "http",
            "https" or "wss" => "https",
            _ => tlsOff ? "http" : "https",
        };

        var builder = new UriBuilder(uri) { Scheme = httpScheme, Query = string.Empty, Fragment = string.Empty };
        if (uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        var endpoint = builder.Uri;
        var safeUrl = $"{scheme}://{uri.Authority}{uri.AbsolutePath.TrimEnd('/')}";
        return new LibSqlConnectionInfo(LibSqlBackend.Remote, safeUrl, null, endpoint, authToken ?? tokenInUrl);
    }

    private static string Redact(string url)
    {
        var q = url.IndexOf('?');
        return q < 0 ? url : url[..q] + "?…";
    }
}
