using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IntentVision.LibSql;

namespace IntentVision.Data.Backup;

/// <summary>
/// Fingerprints every table, to compare two databases (a source and its restored copy) without trusting either
/// side's dump. Values are hashed with their storage class (1 and 1.0 differ, as do '1' and X'31'), rows in the
/// order of all their columns, so the fingerprint does not depend on rowids a restore may renumber. Each table is one
/// SELECT whose rows are hashed as they are read, so a table of any size costs no memory.
/// </summary>
public static class DatabaseFingerprint
{
    public static async Task<IReadOnlyList<TableFingerprint>> ComputeAsync(LibSqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = DatabaseSchema.BeginRead(connection);
        var result = new List<TableFingerprint>();
        foreach (var table in (await DatabaseSchema.ReadObjectsAsync(connection, transaction, cancellationToken)).Where(o => o.IsTable).OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            var columns = await DatabaseSchema.ReadColumnsAsync(connection, transaction, table.Name, cancellationToken);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long rows = 0;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT {string.Join(",", columns.Select(c => SqlLiteral.QuoteIdentifier(c.Name)))} FROM {SqlLiteral.QuoteIdentifier(table.Name)} " +
                                      $"ORDER BY {TableScan.ByEveryColumn(columns.Count)}";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    for (var i = 0; i < columns.Count; i++)
                    {
                        Append(hash, reader.IsDBNull(i) ? null : reader.GetValue(i));
                    }

                    rows++;
                }
            }

            result.Add(new TableFingerprint(table.Name, rows, Convert.ToHexStringLower(hash.GetHashAndReset())));
        }

        await transaction.RollbackAsync(cancellationToken);
        return result;
    }

    private static void Append(IncrementalHash hash, object? value)
    {
        Span<byte> buffer = stackalloc byte[9];
        switch (value)
        {
            case null:
                hash.AppendData([0]);
                break;
            case long l:
                buffer[0] = 1;
                BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], l);
                hash.AppendData(buffer);
                break;
            case double d:
                buffer[0] = 2;
                BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], BitConverter.DoubleToInt64Bits(d));
                hash.AppendData(buffer);
                break;
            case string s:
                AppendSized(hash, 3, Encoding.UTF8.GetBytes(s));
                break;
            case byte[] b:
                AppendSized(hash, 4, b);
                break;
            default:
                throw new NotSupportedException($"Unexpected value type {value.GetType().Name}.");
        }
    }

    private static void AppendSized(IncrementalHash hash, byte tag, byte[] bytes)
    {
        Span<byte> header = stackalloc byte[5];
        header[0] = tag;
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], bytes.Length);
        hash.AppendData(header);
        hash.AppendData(bytes);
    }
}
