using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Actors.Gateway.Tests.Infrastructure;

/// <summary>
/// Sends a request line exactly as written, over a plain TCP connection. <see cref="HttpClient"/> goes through
/// <see cref="Uri"/>, which removes <c>.</c> and <c>..</c> segments before sending, so it cannot test what the gateway
/// does with them; clients such as <c>curl --path-as-is</c>, Go's net/http or a raw socket do send them.
/// </summary>
internal static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The status and body of <c>method target</c> sent to the server at <paramref name="baseAddress"/>.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(Uri baseAddress, string method, string target, string? json = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        await using var stream = tcp.GetStream();
        var body = json is null ? [] : Encoding.UTF8.GetBytes(json);
        // HTTP/1.0: the response ends when the server closes the connection, so no chunked decoding is needed.
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.0\r\n")
            .Append("Host: ").Append(baseAddress.Authority).Append("\r\n");
        if (json is not null)
        {
            head.Append("Content-Type: application/json\r\nContent-Length: ").Append(body.Length).Append("\r\n");
        }
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(timeout.Token);
        var statusLine = response[..response.IndexOf("\r\n", StringComparison.Ordinal)];
        var status = (HttpStatusCode)int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var separator = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, separator < 0 ? string.Empty : response[(separator + 4)..]);
    }
}
