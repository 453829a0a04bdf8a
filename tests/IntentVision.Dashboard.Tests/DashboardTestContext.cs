using Bunit;
using IntentVision.Dashboard.Services;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace IntentVision.Dashboard.Tests;

/// <summary>A bUnit context with Radzen set up as ENVIRONMENT.md describes, and the API client on a canned API.</summary>
public abstract class DashboardTestContext : BunitContext
{
    internal CannedApi Api { get; }

    protected DashboardTestContext(Dictionary<string, string> responses)
    {
        Api = new CannedApi(responses);
        Services.AddRadzenComponents();
        Services.AddSingleton(new IntentVisionApiClient(new HttpClient(Api) { BaseAddress = new Uri("http://api/") }));
        Services.AddScoped<OrganizationSelection>();
        // As in the browser after the circuit connected (prerendering is covered by the browser tests).
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true)
            .SetResult(new Radzen.Blazor.Rendering.Rect { Width = 800, Height = 400 });
    }
}
