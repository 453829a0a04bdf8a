using Microsoft.AspNetCore.Components;

namespace IntentVision.Dashboard.Services;

/// <summary>
/// The organization the analyst is looking at, one per circuit (scoped). The dashboard's key is the platform
/// admin, which sees every organization, so the choice is the analyst's: the <c>?org=</c> query parameter when a
/// link carries one, else the last choice, else the first organization.
/// </summary>
public sealed class OrganizationSelection(NavigationManager navigation)
{
    public IReadOnlyList<OrganizationDto> Organizations { get; private set; } = [];

    public string? Current { get; private set; }

    /// <summary>Raised after the analyst chose another organization; pages reload for it.</summary>
    public event Func<Task>? Changed;

    /// <summary>Raised when a load found other organizations than before (the picker redraws).</summary>
    public event Action? ListChanged;

    /// <summary>Refreshes the list and returns the organization to show, or null when there is none yet.</summary>
    public async Task<string?> ResolveAsync(IntentVisionApiClient api, CancellationToken cancellationToken)
    {
        var organizations = await api.GetOrganizationsAsync(cancellationToken);
        var requested = Current ?? QueryOrganization();
        var current = organizations.Any(o => o.Id == requested) ? requested : organizations.FirstOrDefault()?.Id;
        var changed = current != Current || !organizations.SequenceEqual(Organizations);
        Organizations = organizations;
        Current = current;
        if (changed)
        {
            ListChanged?.Invoke();
        }

        return Current;
    }

    /// <summary>Takes the organization a link names (e.g. a chart URL) without telling pages: they are loading it anyway.</summary>
    public void Prefer(string organizationId) => Current = organizationId;

    public async Task ChooseAsync(string organizationId)
    {
        if (organizationId == Current)
        {
            return;
        }

        Current = organizationId;
        if (Changed is { } changed)
        {
            foreach (var handler in changed.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }

    private string? QueryOrganization()
    {
        var query = new Uri(navigation.Uri).Query.TrimStart('?');
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && pair[0] == "org")
            {
                return Uri.UnescapeDataString(pair[1]);
            }
        }

        return null;
    }
}
