using System.CommandLine;
using Candor.Security;
using Candor.Storage;

namespace Candor.Cli;

/// <summary>`candor token create|list|revoke`: admin API tokens, kept in the store the config names.</summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var token = new Command("token", "Create, list and revoke admin API tokens");
        token.Subcommands.Add(CreateToken());
        token.Subcommands.Add(ListTokens());
        token.Subcommands.Add(RevokeToken());
        return token;
    }

    private static Option<string?> ConfigOption() =>
        new("--config") { Description = "The config whose storage holds the tokens (default: the built-in demo)" };

    private static Command CreateToken()
    {
        var config = ConfigOption();
        var role = new Option<ApiRole>("--role") { Description = "viewer, responder or admin", Required = true };
        var name = new Option<string>("--name") { Description = "Who or what uses it; shown in the audit log", Required = true };
        var command = new Command("create", "Create a token; it is printed once, alone on the last line") { config, role, name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var tokenName = parse.GetValue(name)!;
            if (tokenName.StartsWith(AuditLog.UserPrefix, StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync($"A token's name may not begin with '{AuditLog.UserPrefix}': the audit log marks console users so.");
                return 1;
            }

            await using var store = await OpenStoreAsync(parse.GetValue(config), cancellationToken);
            if (store is null)
            {
                return 1;
            }

            var (record, secret) = ApiTokens.Create(tokenName, parse.GetValue(role), TimeProvider.System.GetUtcNow());
            await store.SaveApiTokenAsync(record, cancellationToken);
            Console.WriteLine($"Created a {record.Role.ToString().ToLowerInvariant()} token named '{record.Name}'. It is shown only now:");
            Console.WriteLine(secret);
            return 0;
        });
        return command;
    }

    private static Command ListTokens()
    {
        var config = ConfigOption();
        var command = new Command("list", "List tokens (names and roles; the secrets are not stored)") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await OpenStoreAsync(parse.GetValue(config), cancellationToken);
            if (store is null)
            {
                return 1;
            }

            foreach (var t in await store.GetApiTokensAsync(cancellationToken))
            {
                var state = t.RevokedAt is { } at ? $"revoked {at:yyyy-MM-dd HH:mm}Z" : "active";
                Console.WriteLine($"{t.Name,-24} {t.Role.ToString().ToLowerInvariant(),-10} created {t.CreatedAt:yyyy-MM-dd HH:mm}Z  {state}");
            }

            return 0;
        });
        return command;
    }

    private static Command RevokeToken()
    {
        var config = ConfigOption();
        var name = new Option<string>("--name") { Description = "The name of the token(s) to revoke", Required = true };
        var command = new Command("revoke", "Revoke every active token with this name") { config, name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var store = await OpenStoreAsync(parse.GetValue(config), cancellationToken);
            if (store is null)
            {
                return 1;
            }

            var revoked = await store.RevokeApiTokenAsync(parse.GetValue(name)!, TimeProvider.System.GetUtcNow(), cancellationToken);
            Console.WriteLine(revoked ? $"Revoked '{parse.GetValue(name)}'." : $"No active token is named '{parse.GetValue(name)}'.");
            return revoked ? 0 : 1;
        });
        return command;
    }

    /// <summary>Opens and migrates the store the config names; null (the errors printed) when the config is invalid.</summary>
    internal static async Task<ICandorStore?> OpenStoreAsync(string? configPath, CancellationToken cancellationToken)
    {
        var loaded = ConfigSource.Load(configPath, new Dictionary<string, string>());
        if (!loaded.IsValid)
        {
            ConfigSource.PrintErrors(loaded, Console.Error);
            return null;
        }

        var store = StoreFactory.Create(loaded.Config!.Storage);
        await store.MigrateAsync(cancellationToken);
        return store;
    }
}
