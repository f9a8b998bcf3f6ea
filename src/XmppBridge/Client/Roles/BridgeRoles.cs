namespace Actors.XmppBridge.Client.Roles;

/// <summary>What a sender may do (docs/xmpp-bridge.md roles); a sender may hold several.</summary>
[Flags]
internal enum BridgeRoles
{
    /// <summary>Nothing: not even presence.</summary>
    None = 0,

    /// <summary>Subscribe to presence; help, status, where.</summary>
    Watcher = 1,

    /// <summary>Read documents (get, IQ read).</summary>
    Reader = 2,

    /// <summary>Write documents: every op of <see cref="Actors.Contracts.WriteOps.All"/>, by stanza or chat.</summary>
    Writer = 4,

    /// <summary>Everything, including drain.</summary>
    Operator = 8,
}
