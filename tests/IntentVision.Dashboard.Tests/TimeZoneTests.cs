using Bunit;
using IntentVision.Dashboard.Components.Layout;
using IntentVision.Dashboard.Services;
using Microsoft.Extensions.DependencyInjection;

namespace IntentVision.Dashboard.Tests;

public sealed class TimeZoneTests() : DashboardTestContext([])
{
    private static readonly DateTimeOffset Noon = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TimesReadInUtcUntilTheBrowsersZoneIsChosen()
    {
        var zone = Services.GetRequiredService<DisplayTimeZone>();
        Assert.Equal("2026-07-01 12:00", zone.Format(Noon));
        Assert.Equal("UTC", zone.Label);

        var cookie = zone.Choose("Europe/Berlin");
        Assert.Equal("browser:Europe%2FBerlin", cookie);
        Assert.Equal("2026-07-01 14:00", zone.Format(Noon));
        Assert.Equal("Europe/Berlin", zone.Label);
    }

    [Fact]
    public void TheRememberedChoiceComesBackFromTheCookieAndNonsenseMeansUtc()
    {
        var zone = new DisplayTimeZone();
        zone.Apply("browser:America%2FNew_York");
        Assert.Equal("2026-07-01 08:00", zone.Format(Noon));
        zone.Apply("browser:Mars%2FOlympus");
        Assert.True(zone.IsUtc);
        zone.Apply(null);
        Assert.Equal("UTC", zone.Label);
    }

    [Fact]
    public void ThePickerOffersTheBrowsersZoneAndRemembersTheChoice()
    {
        var picker = Render<TimeZonePicker>();
        picker.WaitForAssertion(() => Assert.Contains("Browser (Europe/Berlin)", picker.Markup));
        picker.Find("#time-zone").Change("browser");
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "ivTimeZone.remember" && (string)i.Arguments[0]! == "browser:Europe%2FBerlin");
        Assert.Equal("Europe/Berlin", Services.GetRequiredService<DisplayTimeZone>().Label);
    }
}
