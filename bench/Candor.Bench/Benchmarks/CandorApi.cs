using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Candor.Security;
using Candor.Storage;

namespace Candor.Bench.Benchmarks;

/// <summary>An incident as the admin API lists it.</summary>
internal sealed record OpenIncident(string Id, string Name, DateTimeOffset CreatedAt, IReadOnlyList<string> Components);

/// <summary>The admin API of a running Candor, with an admin token put into its store before it started.</summary>
internal sealed class CandorApi(Uri baseAddress, string token) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    /// <summary>Migrates the store and makes an admin token in it, as `candor token create` does; returns the secret.</summary>
    public static async Task<string> CreateTokenAsync(ICandorStore store, CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        var (record, secret) = ApiTokens.Create("bench", ApiRole.Admin, DateTimeOffset.UtcNow);
        await store.SaveApiTokenAsync(record, cancellationToken);
        return secret;
    }

    public async Task<string> CreateIncidentAsync(string name, IReadOnlyList<string> components, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = name,
            ["components"] = components,
            ["status"] = "identified",
            ["body"] = $"We are looking into {name}. Updates follow here as we learn more.",
            ["impact"] = "minor",
        });
        using var document = await PostAsync("api/v1/incidents", body, cancellationToken);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<List<OpenIncident>> OpenIncidentsAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/v1/incidents?status=open", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(incident => new OpenIncident(
            incident.GetProperty("id").GetString()!,
            incident.GetProperty("name").GetString()!,
            incident.GetProperty("created_at").GetDateTimeOffset(),
            [.. incident.GetProperty("components").EnumerateArray().Select(c => c.GetString()!)]))];
    }

    /// <summary>Resolves at once, with the written reason an early resolution needs.</summary>
    public async Task ResolveAsync(string incidentId, CancellationToken cancellationToken)
    {
        using var document = await PostAsync(
            $"api/v1/incidents/{Uri.EscapeDataString(incidentId)}/resolve",
            """{"override": true, "reason": "benchmark trial over"}""",
            cancellationToken);
    }

    /// <summary>Every monitor's status, by id.</summary>
    public async Task<Dictionary<string, string>> MonitorStatusesAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/v1/monitors", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.EnumerateArray().ToDictionary(
            monitor => monitor.GetProperty("id").GetString()!,
            monitor => monitor.GetProperty("status").GetString()!);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> PostAsync(string path, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text.Length == 0 ? "{}" : text)
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    }
}
