namespace Actors.XmppBridge.Client.Nodes;

/// <summary>What a node of the system is, from the <c>urn:actors:1</c> payload its presence carries (DESIGN §9).</summary>
public enum NodeKind
{
    /// <summary>A silo: <c>&lt;silo/&gt;</c>.</summary>
    Silo,

    /// <summary>An HTTP gateway: <c>&lt;gateway/&gt;</c>.</summary>
    Gateway,

    /// <summary>A machine agent: <c>&lt;agent/&gt;</c>.</summary>
    Agent,
}
