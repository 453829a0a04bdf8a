using IntentVision.Dashboard.Components;

namespace IntentVision.Dashboard.Extensions;

/// <summary>The dashboard's request pipeline and endpoints.</summary>
public static class DashboardPipelineExtensions
{
    public static WebApplication MapBlazorDashboard(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseResponseCompression();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapDefaultEndpoints();
        return app;
    }
}
