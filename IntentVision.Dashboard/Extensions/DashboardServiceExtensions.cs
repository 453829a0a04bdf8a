using IntentVision.Dashboard.Services;
using IntentVision.Dashboard.Services.Live;
using Microsoft.AspNetCore.ResponseCompression;
using Radzen;

namespace IntentVision.Dashboard.Extensions;

/// <summary>The dashboard's registrations, so Program.cs reads as the list of what the dashboard is made of.</summary>
public static class DashboardServiceExtensions
{
    /// <summary>The circuit's largest message: the metrics page hands its prerendered chart (up to Metrics.MaxPersistedBytes) back in one.</summary>
    private const long MaxCircuitMessageBytes = 256 * 1024;

    public static WebApplicationBuilder AddBlazorDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = MaxCircuitMessageBytes);
        builder.Services.AddRadzenComponents();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(builder.Configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions());
        builder.Services.AddScoped<OrganizationSelection>();
        builder.Services.AddScoped<DisplayTimeZone>();
        builder.Services.AddScoped<SparklineCache>();
        return builder;
    }

    /// <summary>
    /// Pages are rendered per request, so MapStaticAssets' build-time compression does not cover them; the metrics
    /// page carries its chart's SVG and state and shrinks to a fraction. Static assets keep their precompressed
    /// files (the middleware leaves responses that are already encoded alone). Over HTTPS the default (off)
    /// stands, as pages mix secrets such as antiforgery tokens with reflected input (BREACH).
    /// </summary>
    public static WebApplicationBuilder AddPageCompression(this WebApplicationBuilder builder)
    {
        builder.Services.AddResponseCompression(options =>
        {
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });
        return builder;
    }

    /// <summary>Everything the dashboard shows comes through the API; "api" is resolved by service discovery.</summary>
    public static WebApplicationBuilder AddIntentVisionApi(this WebApplicationBuilder builder)
    {
        var baseAddress = new Uri(builder.Configuration["IntentVisionApi:BaseAddress"] ?? "https+http://api");
        builder.Services.AddHttpClient<IntentVisionApiClient>(client => client.BaseAddress = baseAddress);

        // The live event stream is one long response per organization: no timeout, and none of the resilience
        // handler's retries (the subscription reconnects by itself with back-off).
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented opt-out.
        builder.Services.AddHttpClient(LiveUpdates.HttpClientName, client =>
        {
            client.BaseAddress = baseAddress;
            client.Timeout = Timeout.InfiniteTimeSpan;
        }).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<LiveUpdates>();
        return builder;
    }
}
