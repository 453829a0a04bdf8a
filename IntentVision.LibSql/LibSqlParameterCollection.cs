using System.Collections;
using System.Data.Common;

namespace IntentVision.LibSql;

/// <summary>The parameters of a <see cref="LibSqlCommand"/> or <see cref="LibSqlBatchCommand"/>.</summary>
public sealed class LibSqlParameterCollection : DbParameterCollection
{
    private readonly List<LibSqlParameter> _items = [];

    public override int Count => _items.Count;

    public override object SyncRoot => ((ICollection)_items).SyncRoot;

    public new LibSqlParameter this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    public new LibSqlParameter this[string parameterName]
    {
        get => (LibSqlParameter)GetParameter(parameterName);
        set => SetParameter(parameterName, value);
    }

    public LibSqlParameter Add(LibSqlParameter parameter)
    {
        _items.Add(parameter);
        return parameter;
    }

    public LibSqlParameter AddWithValue(string? parameterName, object? value) => Add(new LibSqlParameter(parameterName, value));

    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    public override void AddRange(Array values)
    {
        foreach (var value in values)
        {
            Add(value!);
        }
    }

    public override void Clear() => _items.Clear();

    public override bool Contains(object value) => value is LibSqlParameter p && _items.Contains(p);

    public override bool Contains(string value) => IndexOf(value) >= 0;

    public override void CopyTo(Array array, int index) => ((ICollection)_items).CopyTo(array, index);

    public override IEnumerator GetEnumerator() => _items.GetEnumerator();

    public override int IndexOf(object value) => value is LibSqlParameter p ? _items.IndexOf(p) : -1;

    public override int IndexOf(string parameterName)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].ParameterName, parameterName, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));

    public override void Remove(object value) => _items.Remove(Cast(value));

    public override void RemoveAt(int index) => _items.RemoveAt(index);

    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOfOrThrow(parameterName));

    protected override DbParameter GetParameter(int index) => _items[index];

    protected override DbParameter GetParameter(string parameterName) => _items[IndexOfOrThrow(parameterName)];

    protected override void SetParameter(int index, DbParameter value) => _items[index] = Cast(value);

    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOfOrThrow(parameterName)] = Cast(value);

    internal IReadOnlyList<LibSqlParameter> Items => _items;

    private int IndexOfOrThrow(string parameterName)
    {
        var index = IndexOf(parameterName);
        return index >= 0 ? index : throw new IndexOutOfRangeException($"No parameter named '{parameterName}'.");
    }

    private static LibSqlParameter Cast(object value) => value as LibSqlParameter
        ?? throw new InvalidCastException($"Expected a {nameof(LibSqlParameter)}, got {value?.GetType().Name ?? "null"}.");
}
