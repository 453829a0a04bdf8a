using IntentVision.Data;

namespace IntentVision.Api.Extensions;

/// <summary>The database: the libSQL client integration's data source (connection string <c>intentvision</c>, else the seed's variables) and the repositories on it.</summary>
public static class DatabaseExtensions
{
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddIntentVisionDatabaseDefaults();
        builder.AddLibSqlDataSource(IntentVisionDatabase.ConnectionStringName);
        builder.Services.AddIntentVisionDatabase();
        return builder;
    }
}
