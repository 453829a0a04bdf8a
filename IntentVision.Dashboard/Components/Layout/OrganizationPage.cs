using IntentVision.Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace IntentVision.Dashboard.Components.Layout;

/// <summary>
/// A polling page that shows one organization's data: it resolves the organization before each load and reloads
/// when the analyst picks another one in the navigation.
/// </summary>
public abstract class OrganizationPage : PollingComponent
{
    [Inject] protected IntentVisionApiClient Api { get; set; } = null!;

    [Inject] protected OrganizationSelection Selection { get; set; } = null!;

    /// <summary>The organization shown; null when none exists yet (the page then explains how to create one).</summary>
    protected string? OrganizationId { get; private set; }

    protected override Task OnInitializedAsync()
    {
        Selection.Changed += OnOrganizationChangedAsync;
        return base.OnInitializedAsync();
    }

    protected sealed override async Task LoadAsync(CancellationToken cancellationToken)
    {
        OrganizationId = await Selection.ResolveAsync(Api, cancellationToken);
        if (OrganizationId is not null)
        {
            await LoadAsync(OrganizationId, cancellationToken);
        }
        else
        {
            await LoadWithoutOrganizationAsync(cancellationToken);
        }
    }

    /// <summary>What a page can show before any organization exists (platform state); nothing by default.</summary>
    protected virtual Task LoadWithoutOrganizationAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract Task LoadAsync(string organizationId, CancellationToken cancellationToken);

    protected virtual Task OnOrganizationChangedAsync() => InvokeAsync(async () =>
    {
        await RefreshAsync();
        StateHasChanged();
    });

    protected override ValueTask DisposeCoreAsync()
    {
        Selection.Changed -= OnOrganizationChangedAsync;
        return ValueTask.CompletedTask;
    }
}
