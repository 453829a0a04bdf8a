using System.Security.Cryptography;
using System.Text;

namespace IntentVision.Data.Migrations;

/// <summary>One migration file (<c>NNN_description.sql</c>) and its optional down file.</summary>
public sealed record MigrationScript
{
    public MigrationScript(int version, string name, string upSql, string? downSql)
    {
        Version = version;
        Name = name;
        UpSql = upSql;
        DownSql = downSql;
        Checksum = ComputeChecksum(upSql);
    }

    public int Version { get; }

    /// <summary>The file name without extension, e.g. <c>001_initial_schema</c>.</summary>
    public string Name { get; }

    public string FileName => Name + ".sql";

    public string UpSql { get; }

    public string? DownSql { get; }

    /// <summary>SHA-256 of the up script (line endings normalised, so a checkout with CRLF is not drift), lowercase hex.</summary>
    public string Checksum { get; }

    /// <summary>The rollback steps written in the migration's comments (the lines after a "Rollback" heading).</summary>
    public string? RollbackNotes
    {
        get
        {
            var lines = UpSql.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var start = Array.FindIndex(lines, l => l.TrimStart().StartsWith("--", StringComparison.Ordinal)
                                                   && l.Contains("rollback", StringComparison.OrdinalIgnoreCase));
            if (start < 0)
            {
                return null;
            }

            var notes = lines.Skip(start).TakeWhile(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal))
                .Select(l => l.TrimStart()[2..].Trim());
            return string.Join(Environment.NewLine, notes);
        }
    }

    public static string ComputeChecksum(string sql)
    {
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }
}
