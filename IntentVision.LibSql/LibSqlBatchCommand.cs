using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace IntentVision.LibSql;

/// <summary>One command of a <see cref="LibSqlBatch"/>: SQL text (one or more statements) and its parameters.</summary>
public sealed class LibSqlBatchCommand : DbBatchCommand
{
    private string _commandText = string.Empty;

    public LibSqlBatchCommand()
    {
    }

    public LibSqlBatchCommand(string commandText)
    {
        _commandText = commandText;
    }

    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? string.Empty;
    }

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new NotSupportedException($"libSQL runs SQL text only, not {value}.");
            }
        }
    }

    /// <summary>Rows this command changed once the batch ran; -1 for a query or before execution.</summary>
    public override int RecordsAffected => Affected;

    public new LibSqlParameterCollection Parameters { get; } = new();

    public override bool CanCreateParameter => true;

    internal int Affected { get; set; } = -1;

    protected override DbParameterCollection DbParameterCollection => Parameters;

    public override DbParameter CreateParameter() => new LibSqlParameter();
}
