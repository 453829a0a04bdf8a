using System.Data;
using System.Globalization;
using System.Numerics;
using IntentVision.LibSql.Hrana;

namespace IntentVision.LibSql.Sql;

/// <summary>
/// Turns .NET parameter values into SQLite values the way Microsoft.Data.Sqlite binds them (dates and decimals as
/// ISO text, Guid as upper-case text, bool as 0/1), so a row written through the server reads back exactly as one
/// written to a file.
/// </summary>
internal static class ParameterValueConverter
{
    public static HranaValue ToHrana(object? value, DbType? dbType)
    {
        switch (value)
        {
            case null:
            case DBNull:
                return HranaValue.Null;
            case string s:
                return HranaValue.FromText(s);
            case long l:
                return HranaValue.FromInteger(l);
            case int i:
                return HranaValue.FromInteger(i);
            case bool b:
                return HranaValue.FromInteger(b ? 1 : 0);
            case double d:
                return double.IsNaN(d) ? HranaValue.Null : HranaValue.FromFloat(d);
            case float f:
                return float.IsNaN(f) ? HranaValue.Null : HranaValue.FromFloat(f);
            case short sh:
                return HranaValue.FromInteger(sh);
            case byte by:
                return HranaValue.FromInteger(by);
            case sbyte sb:
                return HranaValue.FromInteger(sb);
            case ushort us:
                return HranaValue.FromInteger(us);
            case uint ui:
                return HranaValue.FromInteger(ui);
            case ulong ul:
                // SQLite has no unsigned type; like Microsoft.Data.Sqlite, the bits are kept.
                return HranaValue.FromInteger(unchecked((long)ul));
            case decimal m:
                return HranaValue.FromText(m.ToString("0.0###########################", CultureInfo.InvariantCulture));
            case byte[] bytes:
                return HranaValue.FromBlob(bytes);
            case ReadOnlyMemory<byte> rom:
                return HranaValue.FromBlob(rom.ToArray());
            case Memory<byte> mem:
                return HranaValue.FromBlob(mem.ToArray());
            case ArraySegment<byte> segment:
                return HranaValue.FromBlob(segment.ToArray());
            case char c:
                return HranaValue.FromText(c.ToString());
            case DateTime dt:
                return HranaValue.FromText(dt.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture));
            case DateTimeOffset dto:
                return HranaValue.FromText(dto.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
            case DateOnly date:
                return HranaValue.FromText(date.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture));
            case TimeOnly time:
                return HranaValue.FromText(time.Ticks % TimeSpan.TicksPerSecond == 0
                    ? time.ToString(@"HH\:mm\:ss", CultureInfo.InvariantCulture)
                    : time.ToString(@"HH\:mm\:ss\.fffffff", CultureInfo.InvariantCulture));
            case TimeSpan span:
                return HranaValue.FromText(span.ToString("c", CultureInfo.InvariantCulture));
            case Guid guid:
                // Microsoft.Data.Sqlite 11 stores a Guid as upper-case TEXT unless asked for binary.
                return dbType == DbType.Binary
                    ? HranaValue.FromBlob(guid.ToByteArray())
                    : HranaValue.FromText(guid.ToString().ToUpperInvariant());
            case BigInteger big when big >= long.MinValue && big <= long.MaxValue:
                return HranaValue.FromInteger((long)big);
            case Enum e:
                return ToHrana(Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), CultureInfo.InvariantCulture), dbType);
            default:
                throw new InvalidOperationException(
                    $"No mapping exists from object type {value.GetType().FullName} to a libSQL value: use a number, string, byte[], bool, date/time, Guid or null.");
        }
    }
}
