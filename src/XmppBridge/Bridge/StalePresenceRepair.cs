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
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public StalePresenceRepair(Uri apiUrl, string? adminJid, string? adminPassword, ILogger logger, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = new Uri(apiUrl.ToString().TrimEnd('/') + "/");
        _http.Timeout = TimeSpan.FromSeconds(10);
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
        // A body with a Content-Length: ejabberd's HTTP listener answers a chunked request (what JsonContent sends) with 400.
        using var content = new StringContent(JsonSerializer.Serialize(arguments, Json), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(command, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"XMPP admin API {command} answered {(int)response.StatusCode}: {body}");
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
    }

    private sealed record RosterItem([property: JsonPropertyName("jid")] string? Jid, [property: JsonPropertyName("subscription")] string? Subscription);
}
