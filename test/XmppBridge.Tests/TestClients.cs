using System.Threading.Channels;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>A connected client plus channels of everything it received, for tests to wait on.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Channel<Message> _messages = Channel.CreateUnbounded<Message>();
    private readonly Channel<Presence> _presences = Channel.CreateUnbounded<Presence>();
    private readonly Channel<Presence> _subscriptionRequests = Channel.CreateUnbounded<Presence>();
    private readonly Channel<XmppConnectionStateChangedEventArgs> _states = Channel.CreateUnbounded<XmppConnectionStateChangedEventArgs>();

    private TestClient(XmppClient client, Jid jid)
    {
        Client = client;
        Jid = jid;
        client.MessageReceived += (_, m) => _messages.Writer.TryWrite(m);
        client.PresenceReceived += (_, p) => _presences.Writer.TryWrite(p);
        client.SubscriptionRequested += (_, p) => _subscriptionRequests.Writer.TryWrite(p);
        client.StateChanged += (_, s) => _states.Writer.TryWrite(s);
    }

    public XmppClient Client { get; }

    public Jid Jid { get; }

    public Jid FullJid => Client.BoundJid!;

    public static XmppClientOptions Options(IXmppTestServer server, string user, string password, string resource = "test") => new()
    {
        Jid = Jid.Parse($"{user}@{server.Domain}/{resource}"),
        Password = password,
        Host = server.Host,
        Port = server.Port,
        TrustedCertificate = server.Certificate,
        AllowPlaintextOnLoopback = server.Security == XmppSecurity.Plaintext,
        IqTimeout = TimeSpan.FromSeconds(10),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
        ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        ResumptionWindow = TimeSpan.FromSeconds(5),
    };

    public static async Task<TestClient> ConnectAsync(IXmppTestServer server, string user, string password, CancellationToken cancellationToken, Action<XmppClientOptions>? configure = null)
    {
        var options = Options(server, user, password);
        configure?.Invoke(options);
        var client = new XmppClient(options, new TestOutputLogger(user, Microsoft.Extensions.Logging.LogLevel.Trace));
        var test = new TestClient(client, options.Jid.Bare);
        try
        {
            await client.ConnectAsync(cancellationToken);
            return test;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public Task<Message> NextMessageAsync(Func<Message, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null) => NextAsync(_messages, match, cancellationToken, timeout);

    public Task<Presence> NextPresenceAsync(Func<Presence, bool> match, CancellationToken cancellationToken) => NextAsync(_presences, match, cancellationToken);

    public Task<Presence> NextSubscriptionRequestAsync(CancellationToken cancellationToken) => NextAsync(_subscriptionRequests, _ => true, cancellationToken);

    public Task<XmppConnectionStateChangedEventArgs> NextStateAsync(Func<XmppConnectionStateChangedEventArgs, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        NextAsync(_states, match, cancellationToken, timeout);

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private static async Task<T> NextAsync<T>(Channel<T> channel, Func<T, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout ?? Timeout);
        try
        {
            while (true)
            {
                var item = await channel.Reader.ReadAsync(bounded.Token);
                if (match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching {typeof(T).Name} within {timeout ?? Timeout}.");
        }
    }
}
