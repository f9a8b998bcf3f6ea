using System.Xml.Linq;
using Actors.XmppBridge.Client.Roles;
using Actors.XmppBridge.Client.Stanzas;
using Actors.XmppBridge.Client.Xml;

namespace Actors.XmppBridge.Client.AdHoc;

/// <summary>
/// XEP-0050 ad-hoc commands for a node's chat commands (DESIGN §9): lists them with XEP-0030 disco#items on the node
/// <c>http://jabber.org/protocol/commands</c> (only those the requester's role allows), sends a XEP-0004 form for a
/// command that takes arguments, checks the submitted form, and runs the command through the host's own chat
/// executor. Used alike by the silo bridge and the machine agent.
/// </summary>
/// <remarks>
/// <para>The chat command table stays the one list of commands: a <see cref="ChatCommand"/> with an
/// <see cref="ChatCommand.AdHoc"/> spec is an ad-hoc command whose node is its name and whose role is its role. A
/// submitted form becomes the command line a person would type (<c>grow silos 2</c>) and runs through the same role
/// check and handler, so the two ways in cannot disagree.</para>
/// <para>Nothing runs on a bad request: an unknown node is <c>item-not-found</c>, a missing role <c>forbidden</c>, a
/// value that is not among the choices or out of range <c>bad-request</c> with <c>&lt;bad-payload/&gt;</c> and a text
/// naming the field and what it takes (the session stays open, so the form can be sent again), an unknown action
/// <c>&lt;malformed-action/&gt;</c>, a session that ended or expired <c>not-allowed</c> with
/// <c>&lt;session-expired/&gt;</c> (XEP-0050 §6). A command that ran but was refused by its handler (e.g.
/// <c>shrink</c> below one silo) completes with a <c>&lt;note type="error"/&gt;</c>, as §4.6 asks.</para>
/// <para>Error responses echo the request's <c>&lt;command/&gt;</c> (node, sessionid, action; no payload), as
/// XEP-0050's examples do: slixmpp's session workflow finds the session of an error by that sessionid.</para>
/// </remarks>
internal sealed class AdHocResponder
{
    /// <summary>The XEP-0050 namespace, also the well-known disco node of the command list.</summary>
    public const string Namespace = XmppNamespaces.Commands;

    private static readonly XNamespace Ns = Namespace;
    private static readonly XNamespace DiscoInfoNs = XmppNamespaces.DiscoInfo;
    private static readonly XNamespace DiscoItemsNs = XmppNamespaces.DiscoItems;
    private static readonly string[] Actions = ["execute", "complete", "next", "prev", "cancel"];

    // The chat replies' own words for "nothing was done" (ChatReply carries no flag): these become error notes.
    // "No roots match." is an answer, "No process 'x' here." a refusal: the prefixes are the refusals' own wording.
    private static readonly string[] RefusalPrefixes = ["Refused", "Usage", "Sorry", "Unknown command", "No process ", "This agent has no "];

    private readonly IReadOnlyList<ChatCommand> _commands;
    private readonly Func<Jid, BridgeRoles> _roles;
    private readonly Func<AdHocRun, Task<ChatReply>> _run;

    /// <summary>Creates a responder for the commands of <paramref name="commands"/> that have an ad-hoc spec.</summary>
    /// <param name="commands">The host's chat command table.</param>
    /// <param name="roles">Resolves a requester's roles (the host's <see cref="RoleSet"/>).</param>
    /// <param name="run">Runs a command line through the host's chat executor and returns its reply.</param>
    /// <param name="sessions">Where open sessions are kept.</param>
    public AdHocResponder(IReadOnlyList<ChatCommand> commands, Func<Jid, BridgeRoles> roles, Func<AdHocRun, Task<ChatReply>> run, AdHocSessionStore sessions)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(sessions);
        _commands = [.. commands.Where(c => c.AdHoc is not null)];
        _roles = roles;
        _run = run;
        Sessions = sessions;
    }

    /// <summary>The open sessions.</summary>
    public AdHocSessionStore Sessions { get; }

    /// <summary>The commands offered (those with an ad-hoc spec), in table order.</summary>
    public IReadOnlyList<ChatCommand> Commands => _commands;

    /// <summary>
    /// Makes <paramref name="client"/> answer XEP-0050 requests, disco#items on the command list and disco#info on
    /// command nodes, and advertise <c>http://jabber.org/protocol/commands</c> and <c>jabber:x:data</c>.
    /// </summary>
    public void Attach(XmppClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.AddDiscoFeature(Namespace);
        client.AddDiscoFeature(XmppNamespaces.DataForms);
        client.DiscoNodeInfo = iq => NodeInfo(iq);
        client.RegisterIqHandler(Namespace, (iq, _) => HandleCommandAsync(iq));
        client.RegisterIqHandler(XmppNamespaces.DiscoItems, (iq, _) => Task.FromResult(Items(iq, client.BoundJid)));
    }

    /// <summary>XEP-0030 disco#items: the commands the requester may run under the commands node; no other items.</summary>
    public Iq Items(Iq iq, Jid? self)
    {
        ArgumentNullException.ThrowIfNull(iq);
        var node = (string?)iq.Payload?.Attribute("node");
        if (iq.Type != IqType.Get)
        {
            return iq.CreateError(new StanzaError(StanzaErrorType.Modify, "bad-request", "disco#items is a get."));
        }

        if (node is null)
        {
            // This entity has no items of its own; its commands are under the well-known node.
            return iq.CreateResult(new XElement(DiscoItemsNs + "query"));
        }

        if (node != Namespace)
        {
            return iq.CreateError(new StanzaError(StanzaErrorType.Cancel, "item-not-found", $"No node '{Shorten(node)}' here; the commands are under {Namespace}."));
        }

        var jid = (iq.To ?? self)?.ToString() ?? "";
        var roles = iq.From is { } from ? _roles(from) : BridgeRoles.None;
        var query = new XElement(DiscoItemsNs + "query", new XAttribute("node", Namespace));
        foreach (var command in _commands.Where(c => roles.HasFlag(c.Role)))
        {
            query.Add(new XElement(DiscoItemsNs + "item", new XAttribute("jid", jid), new XAttribute("node", command.Name), new XAttribute("name", command.AdHoc!.Title)));
        }

        return iq.CreateResult(query);
    }

    /// <summary>XEP-0030 disco#info on a node: the command list, or one command (forbidden when the role is missing); null for another node.</summary>
    public Iq? NodeInfo(Iq iq)
    {
        ArgumentNullException.ThrowIfNull(iq);
        var node = (string?)iq.Payload?.Attribute("node");
        if (node == Namespace)
        {
            return iq.CreateResult(new XElement(DiscoInfoNs + "query", new XAttribute("node", Namespace),
                new XElement(DiscoInfoNs + "identity", new XAttribute("category", "automation"), new XAttribute("type", "command-list"), new XAttribute("name", "Commands")),
                Feature(Namespace)));
        }

        if (Find(node) is not { } command)
        {
            return null;
        }

        if (Denied(iq, command) is { } denied)
        {
            return iq.CreateError(denied);
        }

        return iq.CreateResult(new XElement(DiscoInfoNs + "query", new XAttribute("node", command.Name),
            new XElement(DiscoInfoNs + "identity", new XAttribute("category", "automation"), new XAttribute("type", "command-node"), new XAttribute("name", command.AdHoc!.Title)),
            Feature(Namespace), Feature(XmppNamespaces.DataForms)));
    }

    /// <summary>Answers one <c>&lt;command/&gt;</c> request (XEP-0050 §4).</summary>
    public async Task<Iq> HandleCommandAsync(Iq iq)
    {
        ArgumentNullException.ThrowIfNull(iq);
        var request = iq.Payload!;
        if (iq.Type != IqType.Set || iq.From is not { } from)
        {
            return Error(iq, request, StanzaErrorType.Modify, "bad-request", null, "Commands are executed with an iq of type set.");
        }

        var node = (string?)request.Attribute("node");
        if (string.IsNullOrEmpty(node))
        {
            return Error(iq, request, StanzaErrorType.Modify, "bad-request", "bad-payload", "The <command/> needs a node attribute naming the command; disco#items on node " + Namespace + " lists them.");
        }

        if (Find(node) is not { } command)
        {
            return Error(iq, request, StanzaErrorType.Cancel, "item-not-found", null, $"No command '{Shorten(node)}' here; disco#items on node {Namespace} lists yours.");
        }

        if (Denied(iq, command) is { } denied)
        {
            return Error(iq, request, denied);
        }

        var action = (string?)request.Attribute("action") ?? "execute";
        if (!Actions.Contains(action, StringComparer.Ordinal))
        {
            return Error(iq, request, StanzaErrorType.Modify, "bad-request", "malformed-action", $"Unknown action '{Shorten(action)}': use execute or complete to run the command, cancel to end the session.");
        }

        var spec = command.AdHoc!;
        var sessionId = (string?)request.Attribute("sessionid");
        AdHocSession? session = null;
        if (!string.IsNullOrEmpty(sessionId))
        {
            session = Sessions.Find(from, sessionId);
            if (session is null)
            {
                return Error(iq, request, StanzaErrorType.Cancel, "not-allowed", "session-expired",
                    $"No open session '{Shorten(sessionId)}' of yours here: it was completed, canceled, or unused for {AdHocSessionStore.Minutes(Sessions.Lifetime)}. Run the command again.");
            }

            if (session.Node != node)
            {
                return Error(iq, request, StanzaErrorType.Modify, "bad-request", "bad-sessionid", $"Session '{Shorten(sessionId)}' belongs to the command '{session.Node}', not '{Shorten(node)}'.");
            }
        }

        if (action == "cancel")
        {
            if (session is null)
            {
                return Error(iq, request, StanzaErrorType.Modify, "bad-request", "bad-sessionid", "cancel ends a session: give the sessionid of the form you were sent.");
            }

            Sessions.Close(session);
            return iq.CreateResult(Command(node, session.Id, "canceled"));
        }

        if (action is "next" or "prev")
        {
            return Error(iq, request, StanzaErrorType.Modify, "bad-request", "bad-action", $"'{node}' has a single form: complete (or execute) runs it, cancel ends the session; there is no {action} stage.");
        }

        var form = DataForm.Find(request);
        var fields = session?.Fields ?? spec.Fields();
        if (fields.Count > 0 && session is null && form is null)
        {
            // First stage: send the form and keep the session until it comes back.
            var opened = Sessions.Open(from, node, fields, out var full);
            if (opened is null)
            {
                return Error(iq, request, StanzaErrorType.Wait, "resource-constraint", null, full!);
            }

            var stage = Command(node, opened.Id, "executing");
            stage.Add(new XElement(Ns + "actions", new XAttribute("execute", "complete"), new XElement(Ns + "complete")));
            stage.Add(DataForm.ToFormElement(spec.Title, spec.Instructions, fields));
            return iq.CreateResult(stage);
        }

        IReadOnlyDictionary<string, string> values = new Dictionary<string, string>();
        if (fields.Count > 0 && (!DataForm.Validate(form, fields, out values!, out var problem) || (problem = spec.Check(values)) is not null))
        {
            // Nothing runs; the session stays open so the corrected form can be sent again.
            return Error(iq, request, StanzaErrorType.Modify, "bad-request", "bad-payload", problem + " Nothing was done.");
        }

        if (session is not null)
        {
            Sessions.Close(session);
        }

        var id = session?.Id ?? AdHocSessionStore.NewId(node);
        var line = (command.Name + " " + spec.Arguments(values)).Trim();
        ChatReply reply;
        try
        {
            reply = await _run(new AdHocRun(from, iq.To, iq.Id, line)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            reply = $"Sorry, '{line}' failed here ({ex.GetType().Name}); nothing was changed unless the command says so elsewhere. Run it again to retry.";
        }

        var done = Command(node, id, "completed");
        if (reply.Text.Length > 0)
        {
            done.Add(new XElement(Ns + "note", new XAttribute("type", IsRefusal(reply.Text) ? "error" : "info"), reply.Text));
        }

        var result = iq.CreateResult(done);
        result.AfterSent = reply.AfterSent;
        return result;
    }

    /// <summary>True when a chat reply says the command was not carried out (it becomes a <c>note type="error"</c>).</summary>
    public static bool IsRefusal(string text) => RefusalPrefixes.Any(p => text.StartsWith(p, StringComparison.Ordinal));

    private ChatCommand? Find(string? node) => node is null ? null : _commands.FirstOrDefault(c => c.Name == node);

    private StanzaError? Denied(Iq iq, ChatCommand command)
    {
        var roles = iq.From is { } from ? _roles(from) : BridgeRoles.None;
        if (roles.HasFlag(command.Role))
        {
            return null;
        }

        var held = RoleSet.Describe(roles);
        return new StanzaError(StanzaErrorType.Cancel, "forbidden",
            $"'{command.Name}' needs the {RoleSet.Describe(command.Role)} role; {iq.From?.Bare.ToString() ?? "you"} is {(held == "no role" ? "without a role" : (held[0] == 'o' ? "an " : "a ") + held)} here.");
    }

    private static XElement Command(string node, string sessionId, string status) =>
        new(Ns + "command", new XAttribute("node", node), new XAttribute("sessionid", sessionId), new XAttribute("status", status));

    private static XElement Feature(string var) => new(DiscoInfoNs + "feature", new XAttribute("var", var));

    private static Iq Error(Iq iq, XElement request, StanzaErrorType type, string condition, string? specific, string text) =>
        Error(iq, request, new StanzaError(type, condition, text, specific is null ? null : new XElement(Ns + specific)));

    private static Iq Error(Iq iq, XElement request, StanzaError error)
    {
        var response = iq.CreateError(error);
        var echo = new XElement(Ns + "command");
        foreach (var name in (string[])["node", "sessionid", "action"])
        {
            if (request.Attribute(name) is { } attribute)
            {
                echo.Add(new XAttribute(attribute));
            }
        }

        response.Element.AddFirst(echo);
        return response;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
