using System.Collections;
using System.Data.Common;

namespace IntentVision.LibSql;

/// <summary>The commands of a <see cref="LibSqlBatch"/>, in execution order.</summary>
public sealed class LibSqlBatchCommandCollection : DbBatchCommandCollection
{
    private readonly List<LibSqlBatchCommand> _items = [];

    public override int Count => _items.Count;

    public override bool IsReadOnly => false;

    public new LibSqlBatchCommand this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    internal IReadOnlyList<LibSqlBatchCommand> Items => _items;

    public override void Add(DbBatchCommand item) => _items.Add(Cast(item));

    /// <summary>Adds a command with its text and, optionally, positional values (bound to ?, ?1, ... in order).</summary>
    public LibSqlBatchCommand Add(string commandText, params object?[] positionalValues)
    {
        var command = new LibSqlBatchCommand(commandText);
        foreach (var value in positionalValues)
        {
            command.Parameters.Add(new LibSqlParameter(null, value));
        }

        _items.Add(command);
        return command;
    }

    public override void Clear() => _items.Clear();

    public override bool Contains(DbBatchCommand item) => item is LibSqlBatchCommand c && _items.Contains(c);

    public override void CopyTo(DbBatchCommand[] array, int arrayIndex)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            array[arrayIndex + i] = _items[i];
        }
    }

    public override IEnumerator<DbBatchCommand> GetEnumerator() => _items.GetEnumerator();

    public override int IndexOf(DbBatchCommand item) => item is LibSqlBatchCommand c ? _items.IndexOf(c) : -1;

    public override void Insert(int index, DbBatchCommand item) => _items.Insert(index, Cast(item));

    public override bool Remove(DbBatchCommand item) => item is LibSqlBatchCommand c && _items.Remove(c);

    public override void RemoveAt(int index) => _items.RemoveAt(index);

    protected override DbBatchCommand GetBatchCommand(int index) => _items[index];

    protected override void SetBatchCommand(int index, DbBatchCommand batchCommand) => _items[index] = Cast(batchCommand);

    private static LibSqlBatchCommand Cast(DbBatchCommand item) => item as LibSqlBatchCommand
        ?? throw new InvalidCastException($"Expected a {nameof(LibSqlBatchCommand)}, got {item?.GetType().Name ?? "null"}.");
}
