using System.CommandLine;
using System.Text;
using Candor.AdminConsole;
using Candor.Storage;

namespace Candor.Cli;

/// <summary>
/// `candor user add|list|remove`: the people who sign in to the admin console. A password is never an argument,
/// where it would sit in the shell's history and in every process listing: it is typed at a prompt, or piped in.
/// </summary>
public static class UserCommand
{
    public static Command Create()
    {
        var user = new Command("user", "Add, list and remove the people who sign in to the admin console");
        user.Subcommands.Add(AddUser());
        user.Subcommands.Add(ListUsers());
        user.Subcommands.Add(RemoveUser());
        return user;
    }

    private static Option<string?> ConfigOption() =>
        new("--config") { Description = "The config whose storage holds the users (default: the built-in demo)" };

    private static Command AddUser()
    {
        var config = ConfigOption();
        var name = new Argument<string>("NAME") { Description = $"The name to sign in with: {UserNames.Rule}" };
        var role = new Option<ApiRole>("--role") { Description = "viewer, responder or admin", Required = true };
        var fromStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password from the first line of standard input (also done when input is not a terminal)",
        };
        var command = new Command("add", "Add a user; the password is asked for, or read from standard input") { name, config, role, fromStdin };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (UserNames.Normalize(parse.GetValue(name)) is not { } userName)
            {
                await Console.Error.WriteLineAsync($"candor: '{parse.GetValue(name)}' is not a user name: use {UserNames.Rule}.");
                return 1;
            }

            var password = parse.GetValue(fromStdin) || Console.IsInputRedirected
                ? await Console.In.ReadLineAsync(cancellationToken)
                : Prompt();
            var problem = password is null ? "no password was given" : PasswordHashing.Problem(password);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"candor: {problem}; the user was not added.");
                return 1;
            }

            await using var store = await TokenCommand.OpenStoreAsync(parse.GetValue(config), cancellationToken);
            if (store is null)
            {
                return 1;
            }

            var user = new ConsoleUser(userName, parse.GetValue(role), new PasswordHashing().Hash(password!), TimeProvider.System.GetUtcNow());
            if (!await store.AddUserAsync(user, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"candor: a user named '{userName}' exists already; remove it first to replace it.");
                return 1;
            }

            Console.WriteLine($"Added {ConsoleAuth.RoleName(user.Role)} '{userName}': they can sign in at /admin.");
            return 0;
        });
        return command;
    }

    private static Command ListUsers()
    {
        var config = ConfigOption();
        var command = new Command("list", "List users (names, roles, lock-outs; passwords are not stored)") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await TokenCommand.OpenStoreAsync(parse.GetValue(config), cancellationToken);
            if (store is null)
            {
                return 1;
            }

            var now = TimeProvider.System.GetUtcNow();
            foreach (var u in await store.GetUsersAsync(cancellationToken))
            {
                var state = u.IsLockedAt(now) ? $"locked until {u.LockedUntil:yyyy-MM-dd HH:mm}Z" : "active";
                var last = u.LastSignInAt is { } at ? $"last sign-in {at:yyyy-MM-dd HH:mm}Z" : "never signed in";
                Console.WriteLine($"{u.Name,-24} {ConsoleAuth.RoleName(u.Role),-10} created {u.CreatedAt:yyyy-MM-dd HH:mm}Z  {last}  {state}");
            }

            return 0;
        });
        return command;
    }

    private static Command RemoveUser()
    {
        var config = ConfigOption();
        var name = new Argument<string>("NAME") { Description = "The user to remove; their console sessions end at once" };
        var command = new Command("remove", "Remove a user") { name, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await TokenCommand.OpenStoreAsync(parse.GetValue(config), cancellationToken);
            if (store is null)
            {
                return 1;
            }

            var userName = UserNames.Normalize(parse.GetValue(name)) ?? parse.GetValue(name)!;
            var removed = await store.RemoveUserAsync(userName, cancellationToken);
            Console.WriteLine(removed ? $"Removed '{userName}'." : $"No user is named '{userName}'.");
            return removed ? 0 : 1;
        });
        return command;
    }

    /// <summary>Asks twice, without echo, so that a typo does not become the password.</summary>
    private static string? Prompt()
    {
        var first = ReadHidden("Password: ");
        var second = ReadHidden("Repeat the password: ");
        if (first != second)
        {
            Console.Error.WriteLine("candor: the two passwords differ.");
            return null;
        }

        return first;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Write(prompt);
        var password = new StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        Console.WriteLine();
        return password.ToString();
    }
}
