using Candor.Configuration;

namespace Candor.Cli;

/// <summary>Where the CLI's config comes from: the file named by --config, or the built-in demo.</summary>
public static class ConfigSource
{
    public const string DemoName = "(built-in demo config)";

    /// <param name="variables">Values for `${NAME}` that take precedence over the environment.</param>
    public static ConfigLoadResult Load(string? path, IReadOnlyDictionary<string, string> variables)
    {
        string? Lookup(string name) => variables.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(name);

        var result = path is null
            ? ConfigLoader.LoadText(ReadDemo(), DemoName, Lookup)
            : ConfigLoader.LoadFile(path, Lookup);

        // CANDOR_STORAGE chooses the backend without editing the file (one config, several environments).
        return result.Config is not null && Environment.GetEnvironmentVariable("CANDOR_STORAGE") is { Length: > 0 } storage
            ? result with { Config = result.Config with { Storage = storage } }
            : result;
    }

    public static void PrintErrors(ConfigLoadResult result, TextWriter output)
    {
        foreach (var error in result.Errors)
        {
            output.WriteLine(error);
        }

        output.WriteLine(result.Errors.Count == 1 ? "1 error in the config." : $"{result.Errors.Count} errors in the config.");
    }

    private static string ReadDemo()
    {
        using var stream = typeof(ConfigSource).Assembly.GetManifestResourceStream("Candor.demo.yaml")
            ?? throw new InvalidOperationException("The demo config is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
