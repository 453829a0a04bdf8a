using System.Net;
using IntentVision.Dashboard.Services;
using Microsoft.AspNetCore.Components;

namespace IntentVision.Dashboard.Components.Layout;

/// <summary>
/// A page that loads from the API and reloads on a timer, so new data appears without a reload and a page
/// whose API was down recovers by itself once the API is back. Failures become <see cref="Error"/>, never an exception.
/// </summary>
public abstract class PollingComponent : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Task? _loop;

    [Inject] protected TimeProvider Time { get; set; } = null!;

    [Inject] protected DashboardOptions Options { get; set; } = null!;

    /// <summary>How often the page reloads its data.</summary>
    protected TimeSpan RefreshInterval => Options.RefreshInterval;

    protected bool Loading { get; private set; } = true;

    protected string? Error { get; private set; }

    /// <summary>When the data on screen was loaded, so the analyst can tell it is live.</summary>
    protected DateTimeOffset? LoadedAt { get; private set; }

    protected CancellationToken Stopping => _stop.Token;

    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    protected override async Task OnInitializedAsync()
    {
        await RefreshAsync();
        _loop = PollAsync(_stop.Token);
    }

    protected async Task RefreshAsync()
    {
        // A timer tick, a pushed event and a click may all ask; one load at a time keeps the fields consistent.
        await _loading.WaitAsync();
        try
        {
            await LoadAsync(_stop.Token);
            Error = null;
            LoadedAt = Time.GetUtcNow();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ApiUnavailableException or System.Text.Json.JsonException or NotSupportedException)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            Error = Describe(e);
        }
        finally
        {
            Loading = false;
            _loading.Release();
        }
    }

    /// <summary>The timer's reload, callable by tests so they need not wait for a tick.</summary>
    internal Task TickAsync() => InvokeAsync(async () =>
    {
        await RefreshAsync();
        StateHasChanged();
    });

    /// <summary>What to tell the analyst; the exception's own text may carry internals, so it is not shown.</summary>
    internal static string Describe(Exception e) => e switch
    {
        HttpRequestException { StatusCode: HttpStatusCode.Unauthorized } => "It refused the dashboard's API key (401).",
        HttpRequestException { StatusCode: HttpStatusCode.Forbidden } => "The dashboard's API key may not read this (403).",
        HttpRequestException { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed } => "It does not serve this page's data yet (404).",
        HttpRequestException { StatusCode: { } status } => $"It answered {(int)status}.",
        System.Text.Json.JsonException or NotSupportedException => "Its answer could not be read.",
        _ => "No answer.",
    };

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await RefreshAsync();
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was left.
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between two ticks.
        }
    }

    /// <summary>For pages that hold subscriptions of their own.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await DisposeCoreAsync();
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
