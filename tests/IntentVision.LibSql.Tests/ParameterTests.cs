using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

public abstract class ParameterTests(SqldServer server, TestBackend backend) : BackendTestBase(server, backend)
{
    [Fact]
    public async Task AnonymousPositionalParametersBindInOrder()
    {
        Assert.Equal("1|two|3.5", await ScalarAsync("SELECT ? || '|' || ? || '|' || ?", (null, 1), (null, "two"), (null, 3.5)));
    }

    [Fact]
    public async Task NumberedParametersBindByNumberAndMayRepeat()
    {
        Assert.Equal("b a b", await ScalarAsync("SELECT ?2 || ' ' || ?1 || ' ' || ?2", (null, "a"), (null, "b")));
        Assert.Equal("x", await ScalarAsync("SELECT ?1", ("?1", "x")));
    }

    [Theory]
    [InlineData(":")]
    [InlineData("@")]
    [InlineData("$")]
    public async Task NamedParametersBindWithAnyPrefixAndWithOrWithoutItInTheCollection(string prefix)
    {
        Assert.Equal("1-2-1", await ScalarAsync($"SELECT {prefix}a || '-' || {prefix}b || '-' || {prefix}a", ($"{prefix}a", 1), ("b", 2)));
    }

    [Fact]
    public async Task NamedAndPositionalParametersMixAsInSqlite()
    {
        // SQLite numbers :a as 1, ? as 2, ?5 as 5, :b as 6; an unnamed entry binds the index of its position (as
        // ADO.NET's SQLite provider does). sqld cannot take both kinds of argument, so the client rewrites names as ?NNN.
        Assert.Equal("A-p-five-B", await ScalarAsync(
            "SELECT :a || '-' || ? || '-' || ?5 || '-' || :b",
            (":a", "A"), (null, "p"), (":b", "B"), ("?5", "five")));
    }

    [Fact]
    public async Task QuestionMarksAndNamesInsideLiteralsAndCommentsAreNotParameters()
    {
        Assert.Equal("? :x @y $z -- ?", await ScalarAsync("SELECT '? :x @y $z -- ?' /* ? :c */ -- ? @d\n"));
        Assert.Equal("[?]", await ScalarAsync("SELECT \"[?]\" FROM (SELECT '[?]' AS \"[?]\")"));
    }

    [Fact]
    public async Task UnusedParametersAreIgnoredAndMissingOnesAreNamedInTheError()
    {
        Assert.Equal(5L, await ScalarAsync("SELECT @used", ("used", 5), ("extra", 6)));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ScalarAsync("SELECT @a, :b", ("a", 1)));
        Assert.Contains(":b", error.Message);
    }

    [Fact]
    public async Task AThousandParametersBindQuickly()
    {
        var names = Enumerable.Range(0, 1000).Select(i => $"@p{i}").ToArray();
        var parameters = names.Select((n, i) => ((string?)n, (object?)i)).ToArray();
        Assert.Equal(Enumerable.Range(0, 1000).Sum(i => (long)i), await ScalarAsync($"SELECT {string.Join(" + ", names)}", parameters));
    }

    private async Task<object?> ScalarAsync(string sql, params (string? Name, object? Value)[] parameters)
    {
        await using var connection = (LibSqlConnection)await DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new LibSqlParameter(name, value));
        }

        return await command.ExecuteScalarAsync();
    }
}

[Collection(SqldCollection.Name)]
public sealed class ParameterFileTests(SqldServer server) : ParameterTests(server, TestBackend.File);

[Collection(SqldCollection.Name)]
public sealed class ParameterSqldTests(SqldServer server) : ParameterTests(server, TestBackend.Sqld);
