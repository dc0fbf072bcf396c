using System.Net;
using Candor.AdminConsole;
using Candor.Storage;
using Candor.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Candor.Tests.ConsoleTests;

/// <summary>Signing in to the console, failing to, being locked out, and signing out, over HTTP.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private CandorApp _candor = null!;

    public async Task InitializeAsync()
    {
        _candor = await CandorApp.StartAsync("""
            page: { name: Acme Status }
            components: [ { id: web, name: Website } ]

            """);
        await ConsoleClient.AddUserAsync(_candor, "dana", ApiRole.Responder, Password);
    }

    public async Task DisposeAsync() => await _candor.DisposeAsync();

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page()
    {
        using var browser = new ConsoleClient(_candor);

        var dashboard = await browser.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.Redirect, dashboard.Status);
        Assert.StartsWith("/admin/sign-in?return=%2Fadmin", new Uri(dashboard.Location!).PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_signs_in_with_the_right_password_and_sees_the_dashboard()
    {
        using var browser = new ConsoleClient(_candor);

        var signedIn = await browser.SignInAsync("Dana", Password);
        var dashboard = await browser.GetAsync(signedIn.Location!);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Contains("Signed in as <strong>dana</strong> (responder)", dashboard.Html, StringComparison.Ordinal);
        Assert.Contains("Website", dashboard.Html, StringComparison.Ordinal);
        var cookie = browser.Cookies.GetCookies(new Uri(_candor.BaseAddress, "/admin"))["candor_console"]!;
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/admin", cookie.Path);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_whether_the_name_exists()
    {
        using var browser = new ConsoleClient(_candor);

        var wrong = await browser.SignInAsync("dana", "not the password");
        var unknown = await browser.SignInAsync("nobody", Password);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Contains("The name or the password is wrong.", wrong.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Contains("The name or the password is wrong.", unknown.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/admin")).Status);
    }

    [Fact]
    public async Task Five_failures_in_a_row_lock_the_account_even_against_the_right_password()
    {
        using var browser = new ConsoleClient(_candor);
        for (var i = 1; i < ConsoleSignIn.FailuresBeforeLockOut; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync("dana", $"guess {i}")).Status);
        }

        var fifth = await browser.SignInAsync("dana", "guess 5");
        var right = await browser.SignInAsync("dana", Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
        Assert.Contains("this account is locked until", right.Html, StringComparison.Ordinal);
        var stored = await _candor.Services.GetRequiredService<ICandorStore>().GetUserAsync("dana", CancellationToken.None);
        Assert.True(stored!.LockedUntil > DateTimeOffset.UtcNow.AddMinutes(14));
    }

    [Fact]
    public async Task A_success_before_the_limit_starts_the_count_again()
    {
        using var browser = new ConsoleClient(_candor);
        for (var i = 1; i < ConsoleSignIn.FailuresBeforeLockOut; i++)
        {
            await browser.SignInAsync("dana", $"guess {i}");
        }

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("dana", Password)).Status);
        using var elsewhere = new ConsoleClient(_candor);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.SignInAsync("dana", "one more guess")).Status);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = new ConsoleClient(_candor);
        await browser.SignInAsync("dana", Password);
        await browser.GetAsync("/admin");

        var signedOut = await browser.PostAsync("/admin/sign-out", []);

        Assert.Equal("/admin/sign-in", signedOut.Location);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/admin")).Status);
    }

    [Fact]
    public async Task A_removed_user_is_signed_out_at_their_next_request()
    {
        using var browser = new ConsoleClient(_candor);
        await browser.SignInAsync("dana", Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).Status);

        await _candor.Services.GetRequiredService<ICandorStore>().RemoveUserAsync("dana", CancellationToken.None);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/admin")).Status);
    }

    [Theory]
    [InlineData("https://evil.example/admin", "/admin")]
    [InlineData("//evil.example/admin", "/admin")]
    [InlineData("/admin//evil.example", "/admin")]
    [InlineData("/admin/incidents", "/admin/incidents")]
    public async Task After_signing_in_only_a_console_page_is_a_place_to_return_to(string back, string expected)
    {
        using var browser = new ConsoleClient(_candor);
        await browser.GetAsync("/admin/sign-in");

        var signedIn = await browser.PostAsync("/admin/sign-in", [new("name", "dana"), new("password", Password), new("return", back)]);

        Assert.Equal(expected, signedIn.Location);
    }
}
