using Microsoft.AspNetCore.Components;

namespace IntentVision.Dashboard.Components.Layout;

/// <summary>
/// A page that loads from the API and reloads on a timer, so new data appears without a reload and a page
/// whose API was down recovers by itself once the API is back. Failures become <see cref="Error"/>, never an exception.
/// </summary>
public abstract class PollingComponent : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>How often the page reloads its data.</summary>
    protected virtual TimeSpan RefreshInterval => TimeSpan.FromSeconds(10);

    protected bool Loading { get; private set; } = true;

    protected string? Error { get; private set; }

    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    protected override async Task OnInitializedAsync()
    {
        await RefreshAsync();
        _loop = PollAsync(_stop.Token);
    }

    protected async Task RefreshAsync()
    {
        try
        {
            await LoadAsync(_stop.Token);
            Error = null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IntentVision.Dashboard.Services.ApiUnavailableException or System.Text.Json.JsonException)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            Error = e is HttpRequestException { StatusCode: { } status } ? $"It answered {(int)status}." : "No answer.";
        }
        finally
        {
            Loading = false;
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
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
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
