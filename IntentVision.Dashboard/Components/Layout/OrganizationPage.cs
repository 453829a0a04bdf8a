using IntentVision.Dashboard.Services;
using IntentVision.Dashboard.Services.Live;
using Microsoft.AspNetCore.Components;

namespace IntentVision.Dashboard.Components.Layout;

/// <summary>
/// A polling page that shows one organization's data: it resolves the organization before each load, reloads
/// when the analyst picks another one in the navigation, and (for pages that opt in with <see cref="RefreshesOn"/>)
/// reloads as soon as the API pushes an event for that organization.
/// </summary>
public abstract class OrganizationPage : PollingComponent
{
    private IDisposable? _live;
    private string? _liveOrganization;
    private int _pushQueued;

    [Inject] protected IntentVisionApiClient Api { get; set; } = null!;

    [Inject] protected OrganizationSelection Selection { get; set; } = null!;

    [Inject] protected LiveUpdates Live { get; set; } = null!;

    [Inject] protected DisplayTimeZone TimeZone { get; set; } = null!;

    /// <summary>The organization shown; null when none exists yet (the page then explains how to create one).</summary>
    protected string? OrganizationId { get; private set; }

    /// <summary>When the last pushed event was applied, for the page's "live" note.</summary>
    protected DateTimeOffset? PushedAt { get; private set; }

    /// <summary>Whether the page is connected to the API's event stream now.</summary>
    protected bool IsLive => OrganizationId is { } org && Live.IsConnected(org);

    protected override Task OnInitializedAsync()
    {
        Selection.Changed += OnOrganizationChangedAsync;
        TimeZone.Changed += OnTimeZoneChanged;
        return base.OnInitializedAsync();
    }

    protected sealed override async Task LoadAsync(CancellationToken cancellationToken)
    {
        // The organization a link or the last load named is almost always still there: its data is asked for while
        // the organization list is checked, not after it (one round trip less before the page draws).
        var hinted = Selection.Current;
        var early = hinted is null ? null : LoadAsync(hinted, cancellationToken);
        string? resolved;
        try
        {
            resolved = await Selection.ResolveAsync(Api, cancellationToken);
        }
        catch (Exception)
        {
            await ObserveAsync(early);
            throw;
        }

        OrganizationId = resolved;
        Listen();
        if (early is not null && resolved == hinted)
        {
            await early;
            return;
        }

        await ObserveAsync(early);
        if (resolved is not null)
        {
            await LoadAsync(resolved, cancellationToken);
        }
        else
        {
            await LoadWithoutOrganizationAsync(cancellationToken);
        }
    }

    /// <summary>Waits for a load whose result is not used (another organization was resolved), so its failure is not left unobserved.</summary>
    private static async Task ObserveAsync(Task? load)
    {
        if (load is null)
        {
            return;
        }

        try
        {
            await load;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Its data is replaced by the resolved organization's load.
        }
    }

    /// <summary>What a page can show before any organization exists (platform state); nothing by default.</summary>
    protected virtual Task LoadWithoutOrganizationAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract Task LoadAsync(string organizationId, CancellationToken cancellationToken);

    /// <summary>Which pushed events make this page reload; none by default (the page polls only).</summary>
    protected virtual bool RefreshesOn(LiveEvent e) => false;

    protected virtual Task OnOrganizationChangedAsync() => InvokeAsync(async () =>
    {
        await RefreshAsync();
        StateHasChanged();
    });

    private void OnTimeZoneChanged() => _ = InvokeAsync(StateHasChanged);

    /// <summary>Subscribes to the shown organization's events, only once the page is live in a circuit (never while prerendering).</summary>
    private void Listen()
    {
        if (!RendererInfo.IsInteractive || OrganizationId == _liveOrganization)
        {
            return;
        }

        _live?.Dispose();
        _liveOrganization = OrganizationId;
        _live = OrganizationId is { } org ? Live.Subscribe(org, OnPushedAsync) : null;
    }

    private async Task OnPushedAsync(LiveEvent e)
    {
        if (e.Type != LiveEvent.Resync && !RefreshesOn(e))
        {
            return;
        }

        // A burst of events (one per series of an ingest) becomes one reload now and at most one after it.
        if (Interlocked.Increment(ref _pushQueued) > 2)
        {
            Interlocked.Decrement(ref _pushQueued);
            return;
        }

        try
        {
            await InvokeAsync(async () =>
            {
                await RefreshAsync();
                PushedAt = Time.GetUtcNow();
                StateHasChanged();
            });
        }
        finally
        {
            Interlocked.Decrement(ref _pushQueued);
        }
    }

    protected override ValueTask DisposeCoreAsync()
    {
        Selection.Changed -= OnOrganizationChangedAsync;
        TimeZone.Changed -= OnTimeZoneChanged;
        _live?.Dispose();
        return ValueTask.CompletedTask;
    }
}
