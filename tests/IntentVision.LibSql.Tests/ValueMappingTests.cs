using System.Data.Common;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

/// <summary>Every SQLite storage class round-trips exactly, and the server and a file agree on what .NET values become.</summary>
public abstract class ValueMappingTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    public static TheoryData<string, object?, string, object> Cases => new()
    {
        { "max long", long.MaxValue, "integer", long.MaxValue },
        { "min long", long.MinValue, "integer", long.MinValue },
        { "2^53 + 1", 9_007_199_254_740_993L, "integer", 9_007_199_254_740_993L },
        { "int", 42, "integer", 42L },
        { "bool", true, "integer", 1L },
        { "float", 1.5, "real", 1.5 },
        { "whole float", 2.0, "real", 2.0 },
        { "large whole float", 1e20, "real", 1e20 },
        { "tiny float", 5e-324, "real", 5e-324 },
        { "negative zero", -0.0, "real", -0.0 },
        { "single", 0.25f, "real", 0.25 },
        { "text", "héllo wörld 🌍 日本", "text", "héllo wörld 🌍 日本" },
        { "empty text", string.Empty, "text", string.Empty },
        { "quotes and escapes", "a\"b\\c\n\t\u0001", "text", "a\"b\\c\n\t\u0001" },
        { "blob", new byte[] { 0, 1, 2, 254, 255 }, "blob", new byte[] { 0, 1, 2, 254, 255 } },
        { "empty blob", Array.Empty<byte>(), "blob", Array.Empty<byte>() },
        { "null", null, "null", DBNull.Value },
        { "decimal", 1.25m, "text", "1.25" },
        { "date", new DateTime(2025, 3, 4, 5, 6, 7, 890), "text", "2025-03-04 05:06:07.89" },
        { "guid", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), "text", "0F8FAD5B-D9CB-469F-A165-70867728950E" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AValueIsStoredAndReadBackAsSqliteWould(string name, object? value, string expectedType, object expected)
    {
        _ = name;
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(@v), @v";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@v";
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(expectedType, reader.GetString(0));
        var actual = reader.GetValue(1);
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected, actual);
        if (expected is double d)
        {
            // Bit-exact, so -0.0 and subnormals survive too.
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual));
        }
    }

    [Fact]
    public async Task TypedGettersConvertAsSqliteDoes()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var date = new DateTime(2025, 3, 4, 5, 6, 7, 890);
        var offset = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        var guid = Guid.NewGuid();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT @date, @offset, @guid, @dec, 7, 2.5, '12', @only, @time, @span, 1, NULL";
        AddParameter(command, "date", date);
        AddParameter(command, "offset", offset);
        AddParameter(command, "guid", guid);
        AddParameter(command, "dec", 12.345m);
        AddParameter(command, "only", new DateOnly(2024, 2, 29));
        AddParameter(command, "time", new TimeOnly(13, 14, 15));
        AddParameter(command, "span", TimeSpan.FromMinutes(90));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(reader.Read());
        Assert.Equal(date, reader.GetDateTime(0));
        Assert.Equal(offset, reader.GetFieldValue<DateTimeOffset>(1));
        Assert.Equal(guid, reader.GetGuid(2));
        Assert.Equal(12.345m, reader.GetDecimal(3));
        Assert.Equal(7, reader.GetInt32(4));
        Assert.Equal(7.0, reader.GetDouble(4));
        Assert.Equal("7", reader.GetString(4));
        Assert.Equal(2.5, reader.GetDouble(5));
        Assert.Equal(2, reader.GetInt64(5));
        Assert.Equal(12, reader.GetInt32(6));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(7));
        Assert.Equal(new TimeOnly(13, 14, 15), reader.GetFieldValue<TimeOnly>(8));
        Assert.Equal(TimeSpan.FromMinutes(90), reader.GetFieldValue<TimeSpan>(9));
        Assert.True(reader.GetBoolean(10));
        Assert.True(reader.IsDBNull(11));
        Assert.Equal(typeof(long), reader.GetFieldType(4));
        Assert.Equal(typeof(double), reader.GetFieldType(5));
        Assert.Equal(typeof(string), reader.GetFieldType(6));
        Assert.Equal(typeof(string), reader.GetFieldType(2));
        Assert.ThrowsAny<Exception>(() => reader.GetInt64(11));
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

[Collection(SqldCollection.Name)]
public sealed class ValueMappingFileTests(SqldServer server) : ValueMappingTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class ValueMappingSqldTests(SqldServer server) : ValueMappingTests(server, TestBackend.Sqld);
