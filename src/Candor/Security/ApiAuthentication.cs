using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Candor.Storage;
using Candor.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Candor.Security;

/// <summary>The three roles of the admin API, as authorization policies; each includes the ones below it.</summary>
public static class ApiPolicies
{
    public const string Viewer = "viewer";
    public const string Responder = "responder";
    public const string Admin = "admin";

    public static void AddCandorApiAuth(this IServiceCollection services)
    {
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Viewer, p => p.RequireRole(Viewer, Responder, Admin))
            .AddPolicy(Responder, p => p.RequireRole(Responder, Admin))
            .AddPolicy(Admin, p => p.RequireRole(Admin));
    }
}

/// <summary>Makes and checks admin API tokens. Only a hash is stored: a stolen database holds no usable token.</summary>
public static class ApiTokens
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <returns>The record to store and the secret to show, once.</returns>
    public static (ApiToken Token, string Secret) Create(string name, ApiRole role, DateTimeOffset now)
    {
        var secret = "cnd_" + RandomNumberGenerator.GetString(Alphabet, 40);
        return (new ApiToken(Guid.CreateVersion7(now).ToString("N"), name, role, Hash(secret), now, null), secret);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>`Authorization: Bearer cnd_...`: looks the token's hash up in the store; revoked tokens fail.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ICandorStore store) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = await store.FindApiTokenAsync(ApiTokens.Hash(header["Bearer ".Length..].Trim()), Context.RequestAborted);
        if (token is null || token.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("unknown or revoked token");
        }

        var role = token.Role.ToString().ToLowerInvariant();
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, token.Name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Unauthorized().ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Forbidden(Context.User.FindFirstValue(ClaimTypes.Role) ?? "none").ExecuteAsync(Context);
}
