using System.Net;
using System.Net.Sockets;

namespace Actors.TestInfrastructure;

/// <summary>Allocates free TCP ports on 127.0.0.1 for servers started by tests.</summary>
public static class FreePort
{
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
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Gate)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("Could not allocate a free loopback TCP port after 50 attempts.");
    }
}
