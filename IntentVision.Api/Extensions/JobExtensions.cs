namespace IntentVision.Api.Extensions;

public static class JobExtensions
{
    /// <summary>Where every job's settings live: <c>IntentVision:Jobs:&lt;Name&gt;</c>.</summary>
    public const string JobsSection = "IntentVision:Jobs";

    /// <summary>
    /// A background job: its options bound from <c>IntentVision:Jobs:{name}</c>, one instance that tests and handlers
    /// can resolve (to run an iteration by hand), and the same instance run as a hosted service.
    /// </summary>
    public static IServiceCollection AddJob<TJob, TOptions>(this IServiceCollection services, string name)
        where TJob : class, IHostedService
        where TOptions : class
    {
        services.AddOptions<TOptions>().BindConfiguration($"{JobsSection}:{name}");
        services.AddSingleton<TJob>();
        services.AddHostedService(sp => sp.GetRequiredService<TJob>());
        return services;
    }
}
