using System.Data.Common;
using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests.Remote;

/// <summary>
/// Hrana's JSON cannot carry an infinity: sqld rejects a 1e999 literal and sends a stored infinity as a float
/// with a null value. Both directions must fail with a clear, typed error instead of a parse failure.
/// </summary>
[Collection(SqldCollection.Name)]
public sealed class InfinityTests(SqldServer server)
{
    [Theory]
    [InlineData(double.PositiveInfinity, "+Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public async Task SendingAnInfinityNamesTheProblem(double value, string expected)
    {
        using var dataSource = server.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ?";
        var parameter = command.CreateParameter();
        parameter.Value = value;
        command.Parameters.Add(parameter);
        var e = await Assert.ThrowsAsync<LibSqlException>(() => command.ExecuteScalarAsync());
        Assert.Equal("VALUE_NOT_REPRESENTABLE", e.Code);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task ReadingAStoredInfinityNamesTheProblem()
    {
        using var dataSource = server.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 9e999";
        var e = await Assert.ThrowsAsync<LibSqlException>(() => command.ExecuteScalarAsync());
        Assert.Equal("VALUE_NOT_REPRESENTABLE", e.Code);
        Assert.Contains("Infinity", e.Message);
    }

    [Fact]
    public async Task NaNIsSentAsNullAsSqliteStoresIt()
    {
        using var dataSource = server.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(?)";
        var parameter = command.CreateParameter();
        parameter.Value = double.NaN;
        command.Parameters.Add(parameter);
        Assert.Equal("null", await command.ExecuteScalarAsync());
    }
}
