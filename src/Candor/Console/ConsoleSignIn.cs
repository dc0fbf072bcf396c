using Candor.Storage;

namespace Candor.AdminConsole;

public enum SignInResult
{
    SignedIn,
    Wrong,
    Locked,
}

/// <param name="User">The account the name belongs to, if one does: signed in only when the result says so.</param>
/// <param name="LockedUntil">When a locked account opens again.</param>
public sealed record SignInOutcome(SignInResult Result, ConsoleUser? User = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Checks a name and password, and locks an account after repeated failures. The count is kept in the store, so
/// every replica sees the same lock, and guessing cannot be spread across them.
/// </summary>
public sealed class ConsoleSignIn(ICandorStore store, PasswordHashing passwords, TimeProvider clock)
{
    public const int FailuresBeforeLockOut = 5;

    public static readonly TimeSpan LockOutFor = TimeSpan.FromMinutes(15);

    /// <remarks>
    /// A locked account is refused before its password is checked: a right guess during the lock must look like
    /// any other, or the lock would still let guessing go on.
    /// </remarks>
    public async Task<SignInOutcome> SignInAsync(string name, string password, CancellationToken cancellationToken)
    {
        var now = clock.StoredNow();
        var user = UserNames.Normalize(name) is { } normalized ? await store.GetUserAsync(normalized, cancellationToken) : null;
        if (user is null)
        {
            passwords.VerifyNobody(password);
            return new SignInOutcome(SignInResult.Wrong);
        }

        if (user.IsLockedAt(now))
        {
            return new SignInOutcome(SignInResult.Locked, user, user.LockedUntil);
        }

        if (!passwords.Verify(user, password))
        {
            var after = await store.RecordFailedSignInAsync(user.Name, FailuresBeforeLockOut, now + LockOutFor, cancellationToken);
            return after is not null && after.IsLockedAt(now)
                ? new SignInOutcome(SignInResult.Locked, user, after.LockedUntil)
                : new SignInOutcome(SignInResult.Wrong, user);
        }

        await store.RecordSignInAsync(user.Name, now, cancellationToken);
        return new SignInOutcome(SignInResult.SignedIn, user);
    }
}
