using System.Net;
using System.Text.RegularExpressions;
using Candor.AdminConsole;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Candor.Tests.ConsoleTests;

/// <summary>
/// The console as a browser without JavaScript uses it: a cookie jar, pages fetched as HTML, and forms posted
/// with the anti-forgery token of the page they came from. Redirects are not followed, so tests see them.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleClient(CandorApp candor)
        : this(candor.BaseAddress)
    {
    }

    public ConsoleClient(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The token of the last page fetched, as its forms carry it.</summary>
    public string? Token { get; private set; }

    /// <summary>Adds a user to the app's store, as `candor user add` does.</summary>
    public static async Task AddUserAsync(CandorApp candor, string name, ApiRole role, string password) =>
        Assert.True(await candor.Services.GetRequiredService<ICandorStore>().AddUserAsync(
            new ConsoleUser(name, role, new PasswordHashing().Hash(password), DateTimeOffset.UtcNow), CancellationToken.None));

    public async Task<Page> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return await ReadAsync(response);
    }

    /// <summary>Posts a form with the current token (fetch a page first), unless <paramref name="withToken"/> is false.</summary>
    public async Task<Page> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var all = fields.ToList();
        if (withToken)
        {
            all.Add(new(ConsoleRoutes.AntiforgeryField, Token ?? throw new InvalidOperationException("fetch a page before posting")));
        }

        using var response = await _http.PostAsync(path, new FormUrlEncodedContent(all));
        return await ReadAsync(response);
    }

    public async Task<Page> SignInAsync(string name, string password)
    {
        await GetAsync(ConsoleRoutes.SignIn);
        return await PostAsync(ConsoleRoutes.SignIn, [new("name", name), new("password", password)]);
    }

    public void Dispose() => _http.Dispose();

    private async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        if (TokenField().Match(html) is { Success: true } token)
        {
            Token = WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        return new Page(response.StatusCode, html, response.Headers.Location?.ToString(), response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value)));
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public sealed record Page(HttpStatusCode Status, string Html, string? Location, IReadOnlyDictionary<string, string> Headers);
}
