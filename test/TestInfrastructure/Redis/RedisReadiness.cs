using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Redis;

/// <summary>Waits until a redis-server the fixtures started answers <c>PING</c> with <c>PONG</c> (after <c>AUTH</c> when it needs a password).</summary>
internal static class RedisReadiness
{
    /// <param name="what">How error messages name the server, e.g. <c>redis-server (cluster node)</c>.</param>
    /// <param name="user">The ACL user to AUTH as with <paramref name="password"/>; null for the default user.</param>
    public static async Task WaitForPongAsync(
        ManagedProcess process, int port, string? user, string? password, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        IReadOnlyList<IReadOnlyList<string>> commands = (user, password) switch
        {
            (_, null) => [["PING"]],
            (null, { } p) => [["AUTH", p], ["PING"]],
            ({ } u, { } p) => [["AUTH", u, p], ["PING"]],
        };
        string? lastError = null;
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{what} on port {port} exited during start.\n{process.Describe()}");
                }

                try
                {
                    // While loading the AOF Redis answers -LOADING; only PONG means ready.
                    var replies = await RespClient.ExecuteManyAsync(port, commands, TimeSpan.FromSeconds(2), timeoutSource.Token).ConfigureAwait(false);
                    if (replies[^1] == "PONG")
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
                {
                    lastError = ex.Message;
                }

                await Task.Delay(50, timeoutSource.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{what} on port {port} did not answer PING within {timeout.TotalSeconds:0.#} s (last error: {lastError}).\n{process.Describe()}");
        }
    }
}
