using System.Net.Http.Json;
using System.Text.Json;
using Candor.Tests.Fixtures;
using Microsoft.Playwright;

namespace Candor.Tests.Pages;

/// <summary>What the page tests do through the admin API and in the browser, said once.</summary>
internal static class Visitors
{
    public static string Url(this CandorApp candor, string path) => new Uri(candor.BaseAddress, path).ToString();

    /// <summary>Opens an incident by hand through the admin API and returns its id.</summary>
    public static async Task<string> OpenIncidentAsync(this CandorApp candor, string name, string component, string body, string status = "investigating")
    {
        var response = await candor.Http.PostAsJsonAsync("/api/v1/incidents", new { name, components = new[] { component }, status, body });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static async Task PostUpdateAsync(this CandorApp candor, string incidentId, string status, string body, string? customerAction = null)
    {
        var response = await candor.Http.PostAsJsonAsync(
            $"/api/v1/incidents/{incidentId}/updates", new { status, body, customer_action = customerAction });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Goes to the page and checks that it loaded whole: an answer of 200 and its stylesheet applied.</summary>
    public static async Task OpenAsync(this IPage page, string url)
    {
        var response = await page.GotoAsync(url);
        Assert.True(response is { Status: 200 }, $"{url} answered {response?.Status}");
        Assert.Equal("0px", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).marginTop"));
    }

    /// <summary>Reloads until the element shows the text: the pages are rebuilt a moment after a change is stored.</summary>
    public static async Task ReloadUntilAsync(this IPage page, string selector, string text, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            await page.ReloadAsync();
            var shown = await page.Locator(selector).First.TextContentAsync(new() { Timeout = 5000 });
            if (shown?.Contains(text, StringComparison.Ordinal) == true)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"'{selector}' still shows '{shown}', not '{text}'");
            await Task.Delay(250);
        }
    }
}
