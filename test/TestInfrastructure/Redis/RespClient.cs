using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Actors.TestInfrastructure.Redis;

/// <summary>
/// A minimal RESP2 client over a raw socket: one connection per call (one command, or a few pipelined).
/// Enough to probe and administer a test Redis without a client library; array replies are not supported.
/// </summary>
public static class RespClient
{
    /// <summary>Sends one command to 127.0.0.1:<paramref name="port"/> and returns the reply.</summary>
    /// <returns>Simple strings and bulk strings as text, integers as decimal text, a nil bulk string as null.</returns>
    /// <exception cref="InvalidOperationException">Redis answered with an error reply.</exception>
    /// <exception cref="TimeoutException">No complete reply within <paramref name="timeout"/>.</exception>
    public static async Task<string?> ExecuteAsync(int port, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var replies = await ExecuteManyAsync(port, [command], timeout, cancellationToken).ConfigureAwait(false);
        return replies[0];
    }

    /// <summary>
    /// Sends several commands on one connection, pipelined, and returns their replies in order: for what only
    /// holds per connection, such as <c>READONLY</c> before a read on a cluster replica, or <c>WAIT</c> after a write.
    /// </summary>
    /// <returns>One reply per command, as <see cref="ExecuteAsync"/> returns them.</returns>
    /// <exception cref="InvalidOperationException">Redis answered one of the commands with an error reply.</exception>
    /// <exception cref="TimeoutException">Not every reply arrived within <paramref name="timeout"/>.</exception>
    public static async Task<IReadOnlyList<string?>> ExecuteManyAsync(
        int port, IReadOnlyList<IReadOnlyList<string>> commands, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentOutOfRangeException.ThrowIfZero(commands.Count);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeoutSource.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var request = new StringBuilder();
            foreach (var command in commands)
            {
                request.Append('*').Append(command.Count).Append("\r\n");
                foreach (var part in command)
                {
                    request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
                }
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeoutSource.Token).ConfigureAwait(false);
            var reader = new ReplyReader(stream);
            var replies = new List<string?>(commands.Count);
            foreach (var command in commands)
            {
                var line = await reader.ReadLineAsync(timeoutSource.Token).ConfigureAwait(false);
                replies.Add(line[0] switch
                {
                    '+' or ':' => line[1..],
                    '-' => throw new InvalidOperationException($"Redis on port {port} replied to '{command[0]}' with an error: {line[1..]}"),
                    '$' => await reader.ReadBulkAsync(int.Parse(line[1..], CultureInfo.InvariantCulture), timeoutSource.Token).ConfigureAwait(false),
                    _ => throw new InvalidOperationException($"Unsupported RESP reply from port {port}: {line}"),
                });
            }

            return replies;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Redis on port {port} did not answer '{string.Join(", ", commands.Select(c => c[0]))}' within {timeout.TotalSeconds:0.#} s.");
        }
    }

    private sealed class ReplyReader(NetworkStream stream)
    {
        private readonly List<byte> _buffer = [];

        public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                for (var i = 1; i < _buffer.Count; i++)
                {
                    if (_buffer[i - 1] == '\r' && _buffer[i] == '\n')
                    {
                        var line = Encoding.UTF8.GetString([.. _buffer.Take(i - 1)]);
                        _buffer.RemoveRange(0, i + 1);
                        return line;
                    }
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<string?> ReadBulkAsync(int length, CancellationToken cancellationToken)
        {
            if (length < 0)
            {
                return null;
            }

            while (_buffer.Count < length + 2)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            var text = Encoding.UTF8.GetString([.. _buffer.Take(length)]);
            _buffer.RemoveRange(0, length + 2);
            return text;
        }

        private async Task FillAsync(CancellationToken cancellationToken)
        {
            var chunk = new byte[4096];
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Redis closed the connection before a complete reply.");
            }

            _buffer.AddRange(chunk.AsSpan(0, read));
        }
    }
}
