using Candor.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Candor.AdminConsole;

/// <summary>
/// Passwords of console users, hashed by ASP.NET Core Identity's hasher: PBKDF2 with HMAC-SHA512, a random salt
/// per password, and a format that records its own parameters, so stored hashes stay checkable if they change.
/// </summary>
public sealed class PasswordHashing
{
    public const int MinLength = 12;

    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA512 (the hasher's default is lower).</summary>
    private const int Iterations = 210_000;

    private readonly PasswordHasher<ConsoleUser> _hasher =
        new(Options.Create(new PasswordHasherOptions { IterationCount = Iterations }));

    private readonly Lazy<string> _decoy;

    public PasswordHashing()
    {
        _decoy = new(() => _hasher.HashPassword(null!, Guid.NewGuid().ToString()));
    }

    /// <returns>Why the password cannot be used, or null when it can.</returns>
    public static string? Problem(string password) =>
        password.Length < MinLength ? $"a password needs at least {MinLength} characters" : null;

    /// <remarks>The hasher takes a user only for subclasses to use; its own algorithm ignores it.</remarks>
    public string Hash(string password) => _hasher.HashPassword(null!, password);

    public bool Verify(ConsoleUser user, string password) =>
        _hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>
    /// Spends the time a real check takes, for a name no user has: the answer's timing must not tell which
    /// names exist.
    /// </summary>
    public void VerifyNobody(string password) => _hasher.VerifyHashedPassword(null!, _decoy.Value, password);
}
