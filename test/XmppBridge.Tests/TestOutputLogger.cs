using Actors.XmppBridge.Client;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Tests;

/// <summary>Writes client log lines to the current test's output, so a failure shows the XML exchanged.</summary>
internal sealed class TestOutputLogger(string name, LogLevel minimum) : ILogger<XmppClient>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {name} {logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; background log lines after that are dropped.
        }
    }
}
