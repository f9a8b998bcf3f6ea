using Actors.XmppBridge.Client.AdHoc;

namespace Actors.XmppBridge.Client.Roles;

/// <summary>
/// One chat command (docs/xmpp-bridge.md, Chat commands): its name, usage, help line, the role it needs and what it
/// does. The bridge's table of these is the only list of commands: help, dispatch and role checks all read it, so a
/// command cannot exist in one place and be missing from another.
/// </summary>
/// <param name="Name">What the user types first, lowercase.</param>
/// <param name="Arguments">Usage after the name, e.g. <c>&lt;root&gt; [pointer]</c>.</param>
/// <param name="Summary">The help line.</param>
/// <param name="Role">The least role that may use it (roles nest: an operator may use everything).</param>
/// <param name="Handler">Runs it; the role was checked before.</param>
internal sealed record ChatCommand(string Name, string Arguments, string Summary, BridgeRoles Role, Func<ChatRequest, Task<ChatReply>> Handler)
{
    /// <summary>The usage line, e.g. <c>get &lt;root&gt; [pointer]</c>.</summary>
    public string Usage => (Name + " " + Arguments).Trim();

    /// <summary>
    /// How it is offered as a XEP-0050 ad-hoc command (node = <see cref="Name"/>, same role); null when it is chat only
    /// (help, reads and writes, which have their own stanzas).
    /// </summary>
    public AdHocSpec? AdHoc { get; init; }
}
