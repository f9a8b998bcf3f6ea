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
    /// Starts <paramref name="host"/> and waits until it is stopped, like <c>RunAsync</c> but without disposing it (the
    /// caller's <c>using</c> does). A stop that cancels the start stops what did start (a silo that had become Active
    /// leaves the cluster) and returns normally.
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
            catch (Exception stopFailure) when (NeverBecameActive(host) && IsOnlyOrleansRefusingToStop(stopFailure))
            {
                // Orleans refuses to stop a silo whose own start was cancelled before it was Running ("not in the
                // Running state"); it calls a silo Running at the stage that makes it Active, so this one never was. No
                // grain or service of it ran; a Joining entry it may have written is declared dead by the others.
                LogSiloNeverRan(logger, stopFailure.Message);
            }

            return;
        }

        await host.WaitForShutdownAsync().ConfigureAwait(false);
    }

    private static bool NeverBecameActive(IHost host) =>
        host.Services.GetService<ISiloStatusOracle>()?.CurrentStatus is SiloStatus.None or SiloStatus.Created or SiloStatus.Joining;

    /// <summary>True when every failure of the host's stop is Orleans' runtime refusing (a host throws one unwrapped).</summary>
    private static bool IsOnlyOrleansRefusingToStop(Exception failure) =>
        (failure is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [failure])
            .All(e => e is InvalidOperationException { Source: "Orleans.Runtime" } and not ObjectDisposedException);

    [LoggerMessage(1, LogLevel.Information, "Asked to stop while still starting: stopping what has started")]
    private static partial void LogStoppedWhileStarting(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "The silo had not become Active, so there was nothing of it to stop ({Reason})")]
    private static partial void LogSiloNeverRan(ILogger logger, string reason);
}
