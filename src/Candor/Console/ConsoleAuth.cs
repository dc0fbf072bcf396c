using System.Security.Claims;
using Candor.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Candor.AdminConsole;

/// <summary>
/// The console's sign-in: a cookie scheme beside the API's bearer tokens, used only under /admin, with the same
/// three roles. The cookie is checked against the store on every request, so removing a user or changing their
/// role takes effect at once.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "CandorConsole";

    public const string Viewer = "console-viewer";
    public const string Responder = "console-responder";
    public const string Admin = "console-admin";

    public static void AddCandorConsole(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(Scheme, cookie =>
            {
                cookie.Cookie.Name = "candor_console";
                cookie.Cookie.Path = ConsoleRoutes.Root;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = ConsoleRoutes.SignIn;
                cookie.ReturnUrlParameter = "return";
                cookie.Events.OnValidatePrincipal = ValidateAsync;
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return ConsolePages.Forbidden(context.HttpContext).ExecuteAsync(context.HttpContext);
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Viewer, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles(ApiRole.Viewer)))
            .AddPolicy(Responder, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles(ApiRole.Responder)))
            .AddPolicy(Admin, p => p.AddAuthenticationSchemes(Scheme).RequireRole(Roles(ApiRole.Admin)));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "candor_console_af";
            antiforgery.Cookie.Path = ConsoleRoutes.Root;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.FormFieldName = ConsoleRoutes.AntiforgeryField;
        });
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<MarkdownText>();
        services.AddSingleton<ConsoleSignIn>();
    }

    /// <summary>The names of the roles that include <paramref name="least"/>: an admin may do what a viewer may.</summary>
    private static string[] Roles(ApiRole least) =>
        [.. Enum.GetValues<ApiRole>().Where(r => r >= least).Select(RoleName)];

    public static string RoleName(ApiRole role) => role.ToString().ToLowerInvariant();

    public static ClaimsPrincipal Principal(ConsoleUser user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, RoleName(user.Role))], Scheme));

    /// <summary>The name of the user signed in to the console, if the principal is one (and not an API token).</summary>
    public static string? UserName(ClaimsPrincipal principal) =>
        principal.Identities.FirstOrDefault(i => i.AuthenticationType == Scheme)?.Name;

    /// <summary>The signed-in user's role as the cookie states it (the cookie was checked against the store).</summary>
    public static ApiRole? RoleOf(ClaimsPrincipal principal) =>
        Enum.GetValues<ApiRole>().Where(r => principal.IsInRole(RoleName(r))).Select(r => (ApiRole?)r).LastOrDefault();

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var store = context.HttpContext.RequestServices.GetRequiredService<ICandorStore>();
        var user = name is null ? null : await store.GetUserAsync(name, context.HttpContext.RequestAborted);
        if (user is null || context.Principal!.FindFirstValue(ClaimTypes.Role) != RoleName(user.Role))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
