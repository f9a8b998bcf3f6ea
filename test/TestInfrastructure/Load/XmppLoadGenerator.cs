using System.Diagnostics;
using Actors.Contracts;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Store;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.TestInfrastructure.Load;

/// <summary>
/// The second load generator of issue 5: writes over XMPP with the client-side <see cref="XmppStoreWriter"/> as an app
/// would. The same counting pattern as <see cref="HttpLoadGenerator"/> — a JSON Patch <c>add</c> of a unique value to
/// <c>items</c> — with the value as XEP-0359 origin-id (the write id). The writer retries on other silos itself; when it
/// gives up (no silo, not confirmed) the same write id is sent again until the per-write deadline. A write is
/// acknowledged when a silo's receipt came back.
/// </summary>
public sealed class XmppLoadGenerator : WriteLoad
{
    public const string WriterUser = "app";

    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(500);

    private readonly XmppClient _client;
    private readonly XmppStoreWriter _writer;

    private XmppLoadGenerator(XmppClient client, XmppStoreWriter writer, string label, int roots, int writers, Stopwatch clock)
        : base("XMPP", $"{label}-x{Guid.NewGuid().ToString("N")[..8]}", roots, writers, clock)
    {
        _client = client;
        _writer = writer;
    }

    /// <summary>The writer's resource in scenario <paramref name="label"/>.</summary>
    public static string ResourceOf(string label) => $"load-{label}";

    /// <summary>The writer's XMPP client (e.g. its <see cref="XmppClient.CurrentServer"/>).</summary>
    public XmppClient Client => _client;

    /// <summary>The silos the writer currently sees available.</summary>
    public IReadOnlyCollection<XmppSilo> AvailableSilos => _writer.AvailableSilos;

    /// <summary>
    /// Logs in with <paramref name="clientOptions"/> (the writer's account, resource <see cref="ResourceOf"/>), subscribes
    /// to the silos' account and waits until <paramref name="silos"/> are available.
    /// </summary>
    public static async Task<XmppLoadGenerator> ConnectAsync(XmppClientOptions clientOptions, string siloAccount, string label, int roots, int writers, int silos, Stopwatch clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        var client = new XmppClient(clientOptions);
        // Created before connecting so it sees the silos' presence from the start.
        var writer = new XmppStoreWriter(client, new XmppStoreWriterOptions { AttemptTimeout = TimeSpan.FromSeconds(5), MaxAttempts = 5, Silos = { siloAccount } });
        var load = new XmppLoadGenerator(client, writer, label, roots, writers, clock);
        try
        {
            await client.ConnectAsync(cancellationToken);
            await client.SubscribeAsync(Jid.Parse(siloAccount), cancellationToken);
            await client.SetPresenceAsync(cancellationToken: cancellationToken);
            var stopwatch = Stopwatch.StartNew();
            while (writer.AvailableSilos.Count < silos)
            {
                if (stopwatch.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"The XMPP writer saw {writer.AvailableSilos.Count} of {silos} silos available within 60 s.");
                }
                await Task.Delay(100, cancellationToken);
            }
            return load;
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }
    }

    protected override TimeSpan DisposeGrace => TimeSpan.FromSeconds(30);

    protected override Task<WriteRecord> CreateRootAsync(int root, string writeId, CancellationToken cancellationToken) =>
        WriteUntilAcknowledgedAsync(root, WriteOp.Put, """{"items":[]}""", writeId, track: false, cancellationToken);

    protected override Task<WriteRecord> AddItemAsync(int root, string value) =>
        WriteUntilAcknowledgedAsync(root, WriteOp.Patch, AddItemPatch(value), value, track: true, CancellationToken.None);

    protected override async ValueTask DisposeTransportAsync()
    {
        _writer.Dispose();
        await _client.DisposeAsync();
    }

    private async Task<WriteRecord> WriteUntilAcknowledgedAsync(int root, WriteOp op, string json, string writeId, bool track, CancellationToken cancellationToken)
    {
        var firstSent = Clock.Elapsed;
        var deadline = firstSent + WriteDeadline;
        var attempts = 0;
        var target = $"{HttpLoadGenerator.RootType}/{RootIds[root]}";
        while (true)
        {
            var sentAt = Clock.Elapsed;
            string failure;
            try
            {
                var result = await _writer.WriteAsync(target, op, json, writeId: writeId, cancellationToken: cancellationToken);
                attempts += result.Retries + 1;
                if (result.Succeeded)
                {
                    return new WriteRecord(writeId, root, firstSent, attempts, Clock.Elapsed, sentAt, result.Duplicate, null);
                }
                if (result.Error.Kind == XmppWriteErrorKind.Refused)
                {
                    return new WriteRecord(writeId, root, firstSent, attempts, null, null, false, $"{result.Error.Condition}: {result.Error.Message}");
                }
                failure = result.Error.Kind.ToString();
            }
            catch (Exception exception) when (exception is XmppException or ObjectDisposedException or InvalidOperationException)
            {
                // The client is reconnecting (XMPP server restart): nothing was confirmed; send the same write id again.
                attempts++;
                failure = exception.GetType().Name;
            }
            if (track)
            {
                RecordFailure(root, failure);
            }
            if (Clock.Elapsed + Backoff > deadline)
            {
                return new WriteRecord(writeId, root, firstSent, attempts, null, null, false, null);
            }
            await Task.Delay(Backoff, cancellationToken);
        }
    }
}
