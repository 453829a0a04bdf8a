using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace IntentVision.LibSql;

/// <summary>
/// A parameter of a <see cref="LibSqlCommand"/>. The name may be written with or without its prefix
/// (<c>@id</c>, <c>:id</c>, <c>$id</c> or <c>id</c>); a parameter without a name binds by its position.
/// Values map as in Microsoft.Data.Sqlite, so the same code stores the same bytes on a file and on a server.
/// </summary>
public sealed class LibSqlParameter : DbParameter
{
    private string _name = string.Empty;
    private DbType? _dbType;

    public LibSqlParameter()
    {
    }

    public LibSqlParameter(string? name, object? value)
    {
        _name = name ?? string.Empty;
        Value = value;
    }

    public override DbType DbType
    {
        get => _dbType ?? DbType.String;
        set => _dbType = value;
    }

    /// <summary>The DbType the caller set, if any: it decides a Guid's storage (TEXT for String, else BLOB).</summary>
    internal DbType? ExplicitDbType => _dbType;

    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
            {
                throw new ArgumentException($"libSQL supports only input parameters, not {value}.", nameof(value));
            }
        }
    }

    public override bool IsNullable { get; set; }

    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set => _name = value ?? string.Empty;
    }

    [AllowNull]
    public override string SourceColumn { get; set; } = string.Empty;

    public override bool SourceColumnNullMapping { get; set; }

    public override int Size { get; set; }

    public override object? Value { get; set; }

    public override void ResetDbType() => _dbType = null;
}
