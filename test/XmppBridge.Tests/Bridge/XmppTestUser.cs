using System.Xml.Linq;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>A real XMPP account for tests: records every message and presence it receives, and waits for them with a timeout.</summary>
internal sealed class XmppTestUser : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly List<Stanza> _received = [];
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private XmppTestUser(XmppClient client, Jid jid)
    {
        Client = client;
        Jid = jid;
        client.MessageReceived += (_, m) => Record(m);
        client.PresenceReceived += (_, p) => Record(p);
    }

    public XmppClient Client { get; }

    public Jid Jid { get; }

    public int Mark
    {
        get
        {
            lock (_gate)
            {
                return _received.Count;
            }
        }
    }

    public static async Task<XmppTestUser> ConnectAsync(BridgeClusterFixture cluster, string user, string resource, Action<XmppClient>? beforeConnect = null, CancellationToken cancellationToken = default)
    {
        var jid = Jid.Parse($"{user}@{cluster.Domain}/{resource}");
        var client = new XmppClient(new XmppClientOptions
        {
            Jid = jid,
            Password = BridgeClusterFixture.PasswordOf(user),
            Host = cluster.Xmpp.Host,
            Port = cluster.Xmpp.Port,
            TrustedCertificate = cluster.Xmpp.Certificate,
            IqTimeout = TimeSpan.FromSeconds(30),
        });
        var testUser = new XmppTestUser(client, jid);
        beforeConnect?.Invoke(client);
        await client.ConnectAsync(cancellationToken);
        await client.SetPresenceAsync(cancellationToken: cancellationToken);
        return testUser;
    }

    /// <summary>Every stanza of type <typeparamref name="T"/> received since <paramref name="since"/> (a <see cref="Mark"/>).</summary>
    public IReadOnlyList<T> Received<T>(int since = 0)
        where T : Stanza
    {
        lock (_gate)
        {
            return [.. _received.Skip(since).OfType<T>()];
        }
    }

    public async Task<T> WaitForAsync<T>(Func<T, bool> match, int since = 0, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : Stanza
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (var i = since; i < _received.Count; i++)
                {
                    if (_received[i] is T stanza && match(stanza))
                    {
                        return stanza;
                    }
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Jid} did not receive the expected {typeof(T).Name} within {timeout ?? DefaultTimeout}. Received:\n{Dump(since)}");
            }
        }
    }

    /// <summary>Sends a message and waits for the answer about it: a receipt, a &lt;written/&gt;, or an error with its id.</summary>
    public async Task<Message> SendWriteAsync(Message message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        message.Id ??= Guid.NewGuid().ToString("N");
        var mark = Mark;
        await Client.SendAsync(message, cancellationToken);
        return await WaitForAsync<Message>(
            m => (m.Type == MessageType.Error && m.Id == message.Id) || m.ReceiptFor == message.Id
                || (m.Type != MessageType.Error && m.From == message.To && m.Element.Element(XName.Get("written", "urn:actors:1")) is not null && !message.ReceiptRequested),
            mark, timeout, cancellationToken);
    }

    /// <summary>Sends a chat command and returns the body of the silo's reply.</summary>
    public async Task<string> ChatAsync(Jid silo, string text, string? id = null, CancellationToken cancellationToken = default)
    {
        var mark = Mark;
        var message = new Message(silo, text) { Id = id ?? Guid.NewGuid().ToString("N") };
        await Client.SendAsync(message, cancellationToken);
        var reply = await WaitForAsync<Message>(m => m.From == silo && m.Body is not null && m.Type != MessageType.Error, mark, cancellationToken: cancellationToken);
        return reply.Body!;
    }

    public async ValueTask DisposeAsync() => await Client.DisposeAsync();

    private void Record(Stanza stanza)
    {
        lock (_gate)
        {
            _received.Add(stanza);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private string Dump(int since)
    {
        lock (_gate)
        {
            return string.Join('\n', _received.Skip(since).TakeLast(20).Select(s => s.ToString()));
        }
    }
}
