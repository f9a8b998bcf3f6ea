using System.Net;
using System.Net.Sockets;

namespace Actors.Gateway.Tests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1, so parallel runs and other engineers' silos never collide with ours.</summary>
internal static class FreePorts
{
    /// <summary><paramref name="count"/> distinct ports that were free a moment ago.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }
}
