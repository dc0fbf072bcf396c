using Microsoft.Extensions.Logging.Console;

namespace Candor.Hosting;

/// <summary>
/// The console's log, less the host's own report of a server that could not listen: `candor serve` names the address
/// and the reason in a line of its own, and the host's report said it again with the whole stack of Kestrel's
/// binding. Every other failure the host reports, a hosted service that faulted above all, is still written.
/// </summary>
internal sealed class ConsoleWithoutBindFailure(ConsoleLoggerProvider console) : ILoggerProvider, ISupportExternalScope
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>The host's event for a hosted service, Kestrel's among them, that failed to start.</summary>
    private const int StartFaulted = 11;

    public ILogger CreateLogger(string categoryName)
    {
        var logger = console.CreateLogger(categoryName);
        return categoryName == HostCategory ? new HostLogger(logger) : logger;
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => console.SetScopeProvider(scopeProvider);

    public void Dispose() => console.Dispose();

    private sealed class HostLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // What `candor serve` catches and reports itself: a failure to listen surfaces as an IOException.
            if (eventId.Id == StartFaulted && exception is IOException)
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
