using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Xml;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// Says <c>unavailable</c> on behalf of a dead silo when its XMPP server will not (issue 14, "no stale presence").
/// </summary>
/// <remarks>
/// <para><b>Why.</b> When an ejabberd node dies, the surviving nodes drop its sessions from the shared session table
/// but broadcast nothing: the dead node's c2s processes, which would have sent <c>unavailable</c>, died with it. Watchers
/// on the surviving nodes then see the users that were on it <c>available</c> forever (measured, shared/SERVERS.md). A
/// silo whose bridge only lost its node reconnects to another and re-publishes, so its presence is true again; a silo
/// that died with its node (a lost machine) would look healthy for ever.</para>
/// <para><b>How.</b> The surviving silos know Orleans' verdict. When a silo is declared dead, one of them asks the XMPP
/// server's admin interface (ejabberd's mod_http_api, with an account in its <c>admin</c> ACL) for the roster of the dead
/// silo's account (<c>get_roster</c>), and sends <c>&lt;presence type="unavailable"/&gt;</c> from the dead silo's full JID
/// to each contact that receives its presence (subscription <c>from</c> or <c>both</c>) and to the account's own bare
/// JID, for silos sharing the account (<c>send_stanza</c>). The server routes it like presence from that session, so
/// every watcher's resources get it whichever node they are on. Sent even if the server already said so: a second
/// <c>unavailable</c> changes nothing.</para>
/// </remarks>
internal sealed class StalePresenceRepair : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IReadOnlyList<Uri> _apis;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private int _current;

    /// <param name="apis">Each node's admin API; a command that fails on one (refused, timed out, 5xx) is tried on the next, since the node that died may be one of them.</param>
    /// <param name="adminJid">An account of the server's <c>admin</c> ACL (HTTP basic auth); null sends no credentials.</param>
    /// <param name="adminPassword">Its password.</param>
    /// <param name="logger">Where repairs are logged.</param>
    /// <param name="handler">Test hook: the HTTP handler to use.</param>
    public StalePresenceRepair(IReadOnlyList<Uri> apis, string? adminJid, string? adminPassword, ILogger logger, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(apis);
        ArgumentOutOfRangeException.ThrowIfZero(apis.Count);
        _apis = [.. apis.Select(u => new Uri(u.ToString().TrimEnd('/') + "/"))];
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(5);
        if (!string.IsNullOrEmpty(adminJid))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{adminJid}:{adminPassword}")));
        }

        _logger = logger;
    }

    /// <summary>Sends <c>unavailable</c> from <paramref name="dead"/> (a full JID) to everyone who sees its presence; returns how many got it.</summary>
    public async Task<int> RepairAsync(Jid dead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dead);
        var roster = await PostAsync<RosterItem[]>("get_roster", new { user = dead.Local, host = dead.Domain }, cancellationToken).ConfigureAwait(false) ?? [];
        var targets = roster
            .Where(i => i.Subscription is "from" or "both" && Jid.TryParse(i.Jid, out _))
            .Select(i => Jid.Parse(i.Jid!).Bare)
            .Append(dead.Bare)
            .DistinctBy(j => j.ToString().ToLowerInvariant()) // nodeprep: local parts and domains compare without case
            .ToList();
        var presence = new Presence(PresenceType.Unavailable) { From = dead };
        foreach (var to in targets)
        {
            presence.To = to;
            await PostAsync<JsonElement>("send_stanza", new { from = dead.ToString(), to = to.ToString(), stanza = XmlStanzaWriter.ToXml(presence.Element) }, cancellationToken).ConfigureAwait(false);
        }

        BridgeLog.LogStalePresenceRepaired(_logger, dead.ToString(), targets.Count);
        return targets.Count;
    }

    public void Dispose() => _http.Dispose();

    private async Task<T?> PostAsync<T>(string command, object arguments, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(arguments, Json);
        for (var tried = 1; ; tried++)
        {
            var api = _apis[Volatile.Read(ref _current) % _apis.Count];
            try
            {
                // A body with a Content-Length: ejabberd's HTTP listener answers a chunked request (what JsonContent sends) with 400.
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync(new Uri(api, command), content, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode >= 500 && tried < _apis.Count)
                {
                    throw new HttpRequestException($"XMPP admin API {api} answered {(int)response.StatusCode}.");
                }

                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    throw new XmppAdminApiRefusedException($"XMPP admin API {command} answered {(int)response.StatusCode}: {body}");
                }

                return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && ex is not XmppAdminApiRefusedException
                && tried < _apis.Count && !cancellationToken.IsCancellationRequested)
            {
                // That node may be the one that died: the next one serves the same cluster.
                Interlocked.Increment(ref _current);
            }
        }
    }

    /// <summary>The API answered, and said no (4xx, or 5xx from the last node): another node would say the same.</summary>
    private sealed class XmppAdminApiRefusedException(string message) : HttpRequestException(message);

    private sealed record RosterItem([property: JsonPropertyName("jid")] string? Jid, [property: JsonPropertyName("subscription")] string? Subscription);
}
