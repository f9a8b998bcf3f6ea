using System.Diagnostics;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Stanzas;

using Actors.TestInfrastructure.Load;

namespace Actors.FaultInjection.Tests.Harness;

/// <summary>One presence seen by the <see cref="XmppWatcher"/>, on the scenario clock.</summary>
internal sealed record PresenceSeen(TimeSpan At, Jid From, PresenceType Type, PresenceShow Show)
{
    /// <summary>Available and no <c>show</c>: the silo takes writes.</summary>
    public bool IsAvailable => Type == PresenceType.Available && Show == PresenceShow.None;
}

/// <summary>
/// The operator account (also a watcher): subscribed to the silos' account, it records every presence with the time
/// it arrived (when the XMPP server reports a silo <c>unavailable</c>), and sends chat commands such as <c>drain</c>.
/// </summary>
internal sealed class XmppWatcher : IAsyncDisposable
{
    public const string OperatorUser = "ops";

    private readonly XmppClient _client;
    private readonly Stopwatch _clock;
    private readonly List<PresenceSeen> _seen = [];

    private XmppWatcher(XmppClient client, Jid jid, Stopwatch clock)
    {
        _client = client;
        Jid = jid;
        _clock = clock;
        client.PresenceReceived += (_, p) =>
        {
            if (p.From is { } from)
            {
                lock (_seen)
                {
                    _seen.Add(new PresenceSeen(_clock.Elapsed, from, p.Type, p.Show));
                }
            }
        };
    }

    public static async Task<XmppWatcher> ConnectAsync(IXmppTestServer server, string siloAccount, string label, Stopwatch clock, CancellationToken cancellationToken)
    {
        var options = FaultXmpp.ClientOptions(server, OperatorUser, $"watch-{label}");
        var client = new XmppClient(options);
        var watcher = new XmppWatcher(client, options.Jid, clock);
        try
        {
            await client.ConnectAsync(cancellationToken);
            await client.SubscribeAsync(Jid.Parse(siloAccount), cancellationToken);
            await client.SetPresenceAsync(cancellationToken: cancellationToken);
            return watcher;
        }
        catch
        {
            await watcher.DisposeAsync();
            throw;
        }
    }

    /// <summary>The watcher's own full JID (operator account, resource <c>watch-LABEL</c>).</summary>
    public Jid Jid { get; }

    /// <summary>Waits for the first presence at or after <paramref name="since"/> that matches; returns when it arrived.</summary>
    public async Task<TimeSpan> WaitForAsync(Func<PresenceSeen, bool> match, TimeSpan since, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            lock (_seen)
            {
                if (_seen.FirstOrDefault(p => p.At >= since && match(p)) is { } found)
                {
                    return found.At;
                }
            }
            if (stopwatch.Elapsed > timeout)
            {
                List<PresenceSeen> last;
                lock (_seen)
                {
                    last = [.. _seen.TakeLast(10)];
                }
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0} s: {what}. Last presence seen: {string.Join(", ", last)}");
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The latest presence seen from <paramref name="from"/>, or null if none came yet.</summary>
    public PresenceSeen? Latest(Jid from)
    {
        lock (_seen)
        {
            return _seen.LastOrDefault(p => p.From == from);
        }
    }

    /// <summary>When the first presence at or after <paramref name="since"/> that matches arrived, or null if none did (no wait).</summary>
    public TimeSpan? FirstSeen(Func<PresenceSeen, bool> match, TimeSpan since)
    {
        lock (_seen)
        {
            return _seen.FirstOrDefault(p => p.At >= since && match(p))?.At;
        }
    }

    /// <summary>Every presence seen so far that matches, in arrival order.</summary>
    public IReadOnlyList<PresenceSeen> Seen(Func<PresenceSeen, bool> match)
    {
        lock (_seen)
        {
            return [.. _seen.Where(match)];
        }
    }

    /// <summary>Sends a chat command to a silo's full JID.</summary>
    public Task SendChatAsync(Jid to, string text, CancellationToken cancellationToken) =>
        _client.SendAsync(new Message(to, text) { Id = Guid.NewGuid().ToString("N") }, cancellationToken);

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();
}
