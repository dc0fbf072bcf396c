using System.CommandLine;
using Candor.Cli;

var candor = new RootCommand("Candor: watch every place a service can break, and tell the truth about it.")
{
    ServeCommand.Create(),
    ValidateCommand.Create(),
    TestCommand.Create(),
    TokenCommand.Create(),
    UserCommand.Create(),
    ExportCommand.Create(),
};

// The web host handles Ctrl+C and SIGTERM itself, stopping gracefully; the parser must not race it.
return await candor.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
