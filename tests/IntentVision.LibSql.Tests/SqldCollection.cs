using IntentVision.TestSupport;

namespace IntentVision.LibSql.Tests;

/// <summary>One sqld shared by the conformance tests: starting one costs ~0.3 s, but tests that share it also share its lock.</summary>
[CollectionDefinition(Name)]
public sealed class SqldCollection : ICollectionFixture<SqldServer>
{
    public const string Name = "sqld";
}
