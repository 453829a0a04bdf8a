namespace IntentVision.LibSql.Execution;

/// <summary>The check behind ADO.NET's untyped setters (<c>DbCommand.Connection = someDbConnection</c>): only this provider's types fit.</summary>
internal static class ProviderTypes
{
    public static T? Require<T>(object? value, string owner)
        where T : class => value switch
        {
            null => null,
            T ours => ours,
            _ => throw new ArgumentException($"A {owner} needs a {typeof(T).Name}, not a {value.GetType().Name}.", nameof(value)),
        };
}
