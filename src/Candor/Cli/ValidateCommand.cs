using System.CommandLine;

namespace Candor.Cli;

public static class ValidateCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "The config file (default: the built-in demo)" };
        var command = new Command("validate", "Check a config and print every error with its file, line and column")
        {
            config,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(config);
            var loaded = ConfigSource.Load(path, new Dictionary<string, string>());
            if (!loaded.IsValid)
            {
                ConfigSource.PrintErrors(loaded, Console.Out);
                return 1;
            }

            var c = loaded.Config!;
            Console.WriteLine(
                $"{path ?? ConfigSource.DemoName} is valid: {c.Components.Count} components, {c.Monitors.Count} monitors, " +
                $"{c.Locations.Count + 1} locations.");
            return 0;
        });
        return command;
    }
}
