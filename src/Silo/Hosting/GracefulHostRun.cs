using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Silo.Hosting;

/// <summary>
/// Runs a silo's host so that a stop ends it cleanly whenever it comes. <c>IHost.RunAsync</c> does not when the stop
/// (SIGTERM, Ctrl-C) comes while the host is still starting: the stop cancels the start, <c>RunAsync</c> throws
/// (dotnet/runtime#111013) and disposes the host without stopping what had started. The process then ends with an
/// unhandled exception (exit code 134), and a silo that had already joined stays Active in the membership table until
/// the others declare it dead. Orchestrators stop processes at any moment (a rolling update, a scale-down right after
/// a scale-up), so the silo's entry point runs its host with <see cref="RunGracefullyAsync"/>.
/// </summary>
public static partial class GracefulHostRun
{
    /// <summary>
    /// Starts <paramref name="host"/> and waits until it is stopped, like <c>RunAsync</c>. A stop that cancels the
    /// start stops what did start (a silo that had joined leaves the cluster) and returns normally.
    /// </summary>
    public static async Task RunGracefullyAsync(this IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        // Orleans throws its own type when the stop falls between two of its start stages, the token's otherwise.
        catch (Exception startCancelled) when (startCancelled is OperationCanceledException or OrleansLifecycleCanceledException
                                               && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GracefulHostRun));
            LogStoppedWhileStarting(logger);
            try
            {
                await host.StopAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                // Orleans refuses to stop a silo whose own start was cancelled before it was Running ("not in the
                // Running state"). Orleans calls it Running at the stage that makes it Active, so it never was: no
                // Active membership entry to leave, and no grain or service of it ran.
                LogSiloNeverRan(logger, ex.Message);
            }

            return;
        }

        await host.WaitForShutdownAsync().ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Information, "Asked to stop while still starting: stopping what has started")]
    private static partial void LogStoppedWhileStarting(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "The silo had not finished starting, so there was nothing of it to stop ({Reason})")]
    private static partial void LogSiloNeverRan(ILogger logger, string reason);
}
