using System.Diagnostics;

namespace Actors.Silo.Tests.Cluster;

/// <summary>Retries a call against a cluster that is changing (a silo died, Redis restarts) until it gives an accepted answer.</summary>
internal static class Eventually
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Calls <paramref name="attempt"/> until <paramref name="accept"/> holds for its result, treating exceptions as
    /// "not yet"; fails with the last answer or exception after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> SucceedsAsync<T>(
        string what, Func<Task<T>> attempt, Func<T, bool> accept, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        object? last = null;
        while (true)
        {
            var left = timeout - stopwatch.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{what} did not succeed within {timeout.TotalSeconds:0} s; last answer: {last ?? "(none)"}");
            }

            try
            {
                var result = await attempt().WaitAsync(left < AttemptTimeout ? left : AttemptTimeout, cancellationToken);
                if (accept(result))
                {
                    return result;
                }
                last = result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                last = $"{ex.GetType().Name}: {ex.Message}";
            }

            await Task.Delay(Pause, cancellationToken);
        }
    }
}
