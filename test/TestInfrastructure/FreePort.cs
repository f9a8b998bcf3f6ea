using System.Net;
using System.Net.Sockets;

namespace Actors.TestInfrastructure;

/// <summary>Allocates free TCP ports on 127.0.0.1 for servers started by tests.</summary>
public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999 by default), like ./actors' free_port: a port the kernel hands to an
    // outgoing connection (a client of Redis, a load generator, redis-cli migrating keys) cannot be one of these, so it
    // cannot take a server's port between this allocation and the server's bind. Seen: a silo that could not bind its
    // allocated port 41153 ("Address already in use") right after a resharding's burst of connections.
    private const int First = 20000;
    private const int Last = 32767;

    private static readonly HashSet<int> Handed = [];
    private static readonly Lock Gate = new();

    /// <summary>Returns a loopback TCP port that nothing listens on right now.</summary>
    /// <remarks>
    /// The port is free when this returns; another process could still take it before the
    /// server binds. Ports are never handed out twice by this process, so two fixtures in one
    /// test run cannot collide with each other.
    /// </remarks>
    public static int Allocate()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            lock (Gate)
            {
                if (Handed.Contains(port))
                {
                    continue;
                }
            }

            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException)
            {
                continue;
            }
            finally
            {
                listener.Stop();
            }

            lock (Gate)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"Could not allocate a free loopback TCP port in {First}-{Last} after 200 attempts.");
    }
}
