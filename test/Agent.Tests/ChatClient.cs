using System.Threading.Channels;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.Agent.Tests;

/// <summary>A person in a chat client: our XMPP client with everything it received kept for the test to wait on.</summary>
internal sealed class ChatClient : IAsyncDisposable
{
    private readonly List<Stanza> _received = [];
    private readonly Channel<bool> _signal = Channel.CreateUnbounded<bool>();

    private ChatClient(XmppClient client)
    {
        Client = client;
        client.MessageReceived += (_, m) => Post(m);
        client.PresenceReceived += (_, p) => Post(p);
    }

    public XmppClient Client { get; }

    public static async Task<ChatClient> ConnectAsync(ProsodyServer server, string user, string password, CancellationToken cancellationToken)
    {
        var client = new XmppClient(new XmppClientOptions
        {
            Jid = Jid.Parse($"{user}@{server.Domain}/chat"),
            Password = password,
            Host = server.Host,
            Port = server.Port,
            TrustedCertificate = server.Certificate,
        });
        await client.ConnectAsync(cancellationToken);
        await client.SetPresenceAsync(cancellationToken: cancellationToken);
        return new ChatClient(client);
    }

    /// <summary>Sends a chat line to <paramref name="to"/> and waits for the reply from it.</summary>
    public async Task<string> AskAsync(Jid to, string text, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        await Client.SendAsync(new Message(to, text) { Id = Guid.NewGuid().ToString("N") }, cancellationToken);
        var reply = await NextAsync<Message>(m => m.From?.Bare == to.Bare && m.Body is not null, cancellationToken, timeout);
        return reply.Body!;
    }

    public Task<T> NextAsync<T>(Func<T, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null)
        where T : Stanza => TakeAsync(match, timeout ?? TimeSpan.FromSeconds(30), cancellationToken);

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private void Post(Stanza stanza)
    {
        lock (_received)
        {
            _received.Add(stanza);
        }

        _signal.Writer.TryWrite(true);
    }

    private async Task<T> TakeAsync<T>(Func<T, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
        where T : Stanza
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            while (true)
            {
                lock (_received)
                {
                    var index = _received.FindIndex(s => s is T t && match(t));
                    if (index >= 0)
                    {
                        var found = (T)_received[index];
                        _received.RemoveRange(0, index + 1);
                        return found;
                    }
                }

                await _signal.Reader.ReadAsync(bounded.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} within {timeout}.");
        }
    }
}
