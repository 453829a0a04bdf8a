using Bunit;
using IntentVision.Dashboard.Services;
using IntentVision.Dashboard.Services.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace IntentVision.Dashboard.Tests;

/// <summary>
/// A bUnit context with Radzen set up as ENVIRONMENT.md describes, the API client and the live event stream on a
/// canned API, and the dashboard's own services as Program.cs registers them.
/// </summary>
public abstract class DashboardTestContext : BunitContext
{
    internal CannedApi Api { get; }

    protected DashboardTestContext(Dictionary<string, string> responses)
    {
        Api = new CannedApi(responses);
        Services.AddRadzenComponents();
        Services.AddLogging();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(new DashboardOptions());
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddSingleton(new IntentVisionApiClient(new HttpClient(Api) { BaseAddress = new Uri("http://api/") }));
        Services.AddHttpClient(LiveUpdates.HttpClientName, client => client.BaseAddress = new Uri("http://api/"))
            .ConfigurePrimaryHttpMessageHandler(() => Api);
        Services.AddSingleton<LiveUpdates>();
        Services.AddScoped<OrganizationSelection>();
        Services.AddScoped<DisplayTimeZone>();
        Services.AddScoped<SparklineCache>();
        // As in the browser after the circuit connected (prerendering is covered by the browser tests).
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<string>("ivTimeZone.browserZone").SetResult("Europe/Berlin");
    }
}
