using System.Net;
using System.Net.Sockets;

namespace Actors.Agent.Supervision;

/// <summary>
/// Free TCP ports on 127.0.0.1 for new silos, never the same one twice in a run (a port handed out is not bound until
/// the silo starts). Like <c>./actors</c>' free_port: 20000-32767, below Linux's ephemeral range (32768-60999), so
/// outgoing connections do not race the silo for it.
/// </summary>
internal sealed class PortAllocator
{
    private const int First = 20000;
    private const int Last = 32767;
    private readonly HashSet<int> _taken = [];
    private readonly Lock _lock = new();

    /// <summary>Marks ports as used (those of configured processes).</summary>
    public void Reserve(int port)
    {
        lock (_lock)
        {
            _taken.Add(port);
        }
    }

    /// <summary>A port nothing listens on and that was not handed out before.</summary>
    public int Next()
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            var port = Random.Shared.Next(First, Last + 1);
            lock (_lock)
            {
                if (_taken.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                _taken.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"No free port in {First}-{Last} on 127.0.0.1.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
