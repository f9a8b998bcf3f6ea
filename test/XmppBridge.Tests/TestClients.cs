using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Tests;

/// <summary>A connected client plus channels of everything it received, for tests to wait on.</summary>
internal sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Mailbox<Message> _messages = new();
    private readonly Mailbox<Presence> _presences = new();
    private readonly Mailbox<Presence> _subscriptionRequests = new();
    private readonly Mailbox<XmppConnectionStateChangedEventArgs> _states = new();

    private TestClient(XmppClient client, Jid jid)
    {
        Client = client;
        Jid = jid;
        client.MessageReceived += (_, m) => _messages.Post(m);
        client.PresenceReceived += (_, p) => _presences.Post(p);
        client.SubscriptionRequested += (_, p) => _subscriptionRequests.Post(p);
        client.StateChanged += (_, s) => _states.Post(s);
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
            test._states.Clear();
            return test;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public Task<Message> NextMessageAsync(Func<Message, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null) => NextAsync(_messages, match, cancellationToken, timeout);

    public Task<Presence> NextPresenceAsync(Func<Presence, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null) => NextAsync(_presences, match, cancellationToken, timeout);

    public Task<Presence> NextSubscriptionRequestAsync(CancellationToken cancellationToken) => NextAsync(_subscriptionRequests, _ => true, cancellationToken);

    public Task<XmppConnectionStateChangedEventArgs> NextStateAsync(Func<XmppConnectionStateChangedEventArgs, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        NextAsync(_states, match, cancellationToken, timeout);

    /// <summary>Forgets the presence received so far, so the next wait sees only what comes after.</summary>
    public void ClearPresences() => _presences.Clear();

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private static Task<T> NextAsync<T>(Mailbox<T> mailbox, Func<T, bool> match, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        mailbox.TakeAsync(match, timeout ?? Timeout, cancellationToken);
}
