using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Client.Store;

/// <summary>
/// Writes to the store over XMPP from a .NET program, following the seed's algorithm (docs/xmpp-bridge.md): keep the set of
/// available silos from presence, send each write with a receipt request to one of them, wait with a timeout, and on
/// timeout (or a temporary <c>wait</c> error) send the same write id to another available silo.
/// </summary>
/// <remarks>
/// <para>Every attempt of one write carries the same XEP-0359 origin-id, so the silos apply it at most once whichever
/// of them receives it, and a late receipt from an earlier attempt still confirms the write. Writes are marked
/// <c>&lt;no-store xmlns="urn:xmpp:hints"/&gt;</c> so a server does not store them offline for a silo that is gone.</para>
/// <para>The writer learns silos from presence carrying a <c>&lt;silo xmlns="urn:actors:1"/&gt;</c> payload, so create
/// it before <see cref="XmppClient.ConnectAsync"/> (or before sending initial presence), and make sure the account is
/// subscribed to the silos' JIDs (<see cref="XmppClient.SubscribeAsync"/>) and has sent available presence
/// (<see cref="XmppClient.SetPresenceAsync"/>) — only then does the server deliver their presence.</para>
/// <para>The caller owns the client; disposing the writer only unhooks it.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var client = new XmppClient(new XmppClientOptions { Jid = Jid.Parse("app@example.org/writer"), Password = "…" });
/// var writer = new XmppStoreWriter(client, new XmppStoreWriterOptions { Silos = { "silo@example.org" } });
/// await client.ConnectAsync();
/// await client.SubscribeAsync(Jid.Parse("silo@example.org"));
/// await client.SetPresenceAsync();
/// var result = await writer.WriteAsync("topic/42", WriteOp.Merge, """{"title":"Hi"}""");
/// if (result.Succeeded) Console.WriteLine($"version {result.Version} after {result.Retries} retries");
/// else Console.WriteLine($"{result.Error.Kind}: {result.Error.Message}");
/// </code>
/// </example>
public sealed class XmppStoreWriter : IDisposable
{
    private readonly XmppClient _client;
    private readonly XmppStoreWriterOptions _options;
    private readonly ConcurrentDictionary<Jid, XmppSilo> _silos = new();
    private readonly ConcurrentDictionary<string, Channel<Message>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _siloArrived = new(0);
    private readonly TrustedAccounts _trusted;

    /// <summary>Hooks the writer to <paramref name="client"/>'s presence and messages.</summary>
    public XmppStoreWriter(XmppClient client, XmppStoreWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new XmppStoreWriterOptions();
        if (_options.MaxAttempts < 1 || _options.AttemptTimeout <= TimeSpan.Zero || _options.RetryDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(XmppStoreWriterOptions.MaxAttempts)} must be at least 1, {nameof(XmppStoreWriterOptions.AttemptTimeout)} and {nameof(XmppStoreWriterOptions.RetryDelay)} positive.", nameof(options));
        }
        if (_options.Silos.Count == 0)
        {
            throw new ArgumentException($"{nameof(XmppStoreWriterOptions)}.{nameof(XmppStoreWriterOptions.Silos)} must list the bare JIDs of the cluster's silos (e.g. silo-1@example.org): the writer trusts presence and receipts from them only.", nameof(options));
        }
        if (!TrustedAccounts.TryCreate(_options.Silos, own: null, "silo", out var trusted, out var error))
        {
            throw new ArgumentException($"{nameof(XmppStoreWriterOptions)}.{nameof(XmppStoreWriterOptions.Silos)}: {error}.", nameof(options));
        }
        _trusted = trusted;

        _client.PresenceReceived += OnPresence;
        _client.MessageReceived += OnMessage;
    }

    /// <summary>The silos currently available (presence without <c>show</c>, with a <c>&lt;silo/&gt;</c> payload).</summary>
    public IReadOnlyCollection<XmppSilo> AvailableSilos => [.. _silos.Values];

    /// <summary>
    /// Writes once, durably: returns after a silo's receipt, with retries on other silos when one does not answer in
    /// <see cref="XmppStoreWriterOptions.AttemptTimeout"/>.
    /// </summary>
    /// <param name="root">The root, <c>type/id</c>.</param>
    /// <param name="op">The operation (<see cref="WriteOps.All"/>).</param>
    /// <param name="json">The body the op takes (<see cref="WriteOpInfo.Body"/>): an object or an array as JSON text, null for none.</param>
    /// <param name="ifVersion">Apply only if the root is at this version.</param>
    /// <param name="writeId">The origin-id to send; a new one when null. Pass the same id to resend a write safely.</param>
    /// <param name="cancellationToken">Stops waiting; the write may still be applied (resend it with the same id).</param>
    public async Task<XmppWriteResult> WriteAsync(string root, WriteOp op, string? json, long? ifVersion = null, string? writeId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        writeId ??= Guid.NewGuid().ToString("N");
        if (!RootId.TryParse(root, out var rootId, out var rootError))
        {
            // No silo would take it: say so at once instead of sending it around.
            return Failed(root, writeId, 0, null, new XmppWriteError(XmppWriteErrorKind.Refused, ActorsError.InvalidRootId(rootError).Message));
        }

        var write = new WritePayload(rootId, op, json, ifVersion);
        var replies = Channel.CreateUnbounded<Message>();
        var attemptIds = new List<string>();
        var tried = new HashSet<Jid>();
        StanzaError? lastWait = null;
        Jid? lastSilo = null;
        try
        {
            for (var attempt = 0; attempt < _options.MaxAttempts; attempt++)
            {
                var silo = await PickSiloAsync(root, tried, cancellationToken).ConfigureAwait(false);
                if (silo is null)
                {
                    return Failed(root, writeId, attempt, lastSilo, attempt == 0
                        ? new XmppWriteError(XmppWriteErrorKind.NoSiloAvailable, $"No silo was available in presence within {_options.SiloWaitTimeout.TotalSeconds:N0} s.")
                        : NotConfirmed(attempt, lastWait));
                }

                tried.Add(silo);
                lastSilo = silo;
                var messageId = Guid.NewGuid().ToString("N");
                attemptIds.Add(messageId);
                _pending[messageId] = replies;
                await _client.SendAsync(BuildWrite(silo, messageId, writeId, write), cancellationToken).ConfigureAwait(false);

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.AttemptTimeout);
                while (true)
                {
                    Message reply;
                    try
                    {
                        reply = await replies.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        break; // this silo did not answer in time: the same write goes to another one
                    }

                    // Only the account this attempt went to can answer it (the server stamps from): the silo itself,
                    // the server bouncing it (which writes as that silo), or another silo sharing the account — a
                    // server delivers a message for a resource that just went away to another session of the same
                    // account (RFC 6121 §8.5.3.2.1), and that silo applies it and answers. Ignoring its answer cost a
                    // whole AttemptTimeout and a resend (seen in fault scenario 16). A reply from anyone else is
                    // ignored, whatever it says.
                    if (reply.From is not { } from || from.Bare != silo.Bare)
                    {
                        continue;
                    }

                    if (reply.Type != MessageType.Error)
                    {
                        // A receipt without <written/> says nothing about durability: only the bridge's own reply counts.
                        if (!WrittenPayload.TryFind(reply.Element, out var written))
                        {
                            continue;
                        }

                        return new XmppWriteResult(written.Root, writeId, written.Version, written.Duplicate, attempt, from);
                    }

                    var error = reply.Error ?? new StanzaError(StanzaErrorType.Cancel, "undefined-condition");
                    if (IsDeliveryFailure(error))
                    {
                        // The server bounced it: that silo's session is gone. Forget it and try another one at once.
                        _silos.TryRemove(silo, out _);
                        lastWait = error;
                        break;
                    }

                    if (error.Type != StanzaErrorType.Wait)
                    {
                        var app = error.ApplicationCondition;
                        var current = (string?)app?.Attribute("current") is { } c && long.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (long?)null;
                        return Failed(root, writeId, attempt, from,
                            new XmppWriteError(XmppWriteErrorKind.Refused, error.Text ?? error.Condition, error, app?.Name.LocalName, current));
                    }

                    // Draining, storage down, overloaded: nothing was applied there; try another silo at once.
                    lastWait = error;
                    await Task.Delay(Backoff.Delay(attempt + 1, _options.RetryDelay, _options.RetryDelay * 16), cancellationToken).ConfigureAwait(false);
                    break;
                }
            }

            return Failed(root, writeId, _options.MaxAttempts - 1, lastSilo, NotConfirmed(_options.MaxAttempts, lastWait));
        }
        finally
        {
            foreach (var id in attemptIds)
            {
                _pending.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Unhooks the writer from the client (the client stays connected; its owner disposes it).</summary>
    public void Dispose()
    {
        _client.PresenceReceived -= OnPresence;
        _client.MessageReceived -= OnMessage;
        _siloArrived.Dispose();
    }

    /// <summary>
    /// The silo a root's write goes to: among available silos not tried yet (all of them once every one was tried),
    /// the highest rendezvous hash of root and JID, so one root keeps going to one silo while the set is stable.
    /// </summary>
    internal Jid? PickSilo(string root, IReadOnlySet<Jid> exclude)
    {
        var available = _silos.Keys.ToList();
        var fresh = available.Where(j => !exclude.Contains(j)).ToList();
        var candidates = fresh.Count > 0 ? fresh : available;
        return candidates.Count == 0 ? null : candidates.MaxBy(j => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(root + "\n" + j)));
    }

    private async Task<Jid?> PickSiloAsync(string root, HashSet<Jid> tried, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.SiloWaitTimeout;
        while (true)
        {
            if (PickSilo(root, tried) is { } silo)
            {
                return silo;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await _siloArrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private static Message BuildWrite(Jid silo, string messageId, string writeId, WritePayload write)
    {
        var message = new Message { To = silo, Id = messageId, OriginId = writeId, ReceiptRequested = true };
        message.Element.Add(write.ToElement(), new XElement(ActorsXml.NoStore));
        return message;
    }

    private void OnPresence(object? sender, Presence presence)
    {
        if (presence.From is not { IsBare: false } from)
        {
            return;
        }

        if (!_trusted.Contains(from.Bare))
        {
            // Directed presence reaches us from any account: a <silo/> payload from outside the cluster is ignored.
            return;
        }

        var silo = presence.Element.Element(ActorsXml.Silo);
        if (presence.Type == PresenceType.Available && presence.Show == PresenceShow.None && silo is not null)
        {
            _silos[from] = new XmppSilo(from, (string?)silo.Attribute("name") ?? from.Resource!, (string?)silo.Attribute("status") ?? "", (string?)silo.Attribute("address"));
            _siloArrived.Release();
        }
        else if (presence.Type is PresenceType.Available or PresenceType.Unavailable)
        {
            // Away (joining, draining), dnd (degraded) or gone: send nothing there.
            _silos.TryRemove(from, out _);
        }
    }

    private void OnMessage(object? sender, Message message)
    {
        var id = message.Type == MessageType.Error ? message.Id : message.ReceiptFor;
        if (id is not null && _pending.TryGetValue(id, out var replies))
        {
            replies.Writer.TryWrite(message);
        }
    }

    /// <summary>
    /// True for errors the XMPP server generates when it cannot deliver to the silo (RFC 6120 §8.3.3, RFC 6121 §8.5):
    /// the silo never saw the write. The bridge's own refusals always carry an application condition or are
    /// conditions the server does not produce for a message to a full JID (service-unavailable from a silo is a wait).
    /// </summary>
    private static bool IsDeliveryFailure(StanzaError error) =>
        error.Condition is "recipient-unavailable" or "remote-server-not-found" or "remote-server-timeout" or "gone" or "redirect"
        || (error.Condition == "service-unavailable" && error.Type != StanzaErrorType.Wait);

    private static XmppWriteError NotConfirmed(int attempts, StanzaError? lastWait) =>
        new(XmppWriteErrorKind.NotConfirmed,
            $"No silo confirmed the write after {attempts} attempt{(attempts == 1 ? "" : "s")}{(lastWait?.Text is { } text ? $" (last answer: {text})" : "")}; it may or may not be applied — resend it with the same write id.",
            lastWait);

    private static XmppWriteResult Failed(string root, string writeId, int retries, Jid? silo, XmppWriteError error) =>
        new(root, writeId, 0, false, Math.Max(0, retries), silo, error);
}
