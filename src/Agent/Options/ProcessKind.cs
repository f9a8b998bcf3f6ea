namespace Actors.Agent.Options;

/// <summary>What a supervised process is: counted in the agent's presence, and what <c>grow</c>/<c>shrink</c> act on.</summary>
public enum ProcessKind
{
    /// <summary>Anything else.</summary>
    Other,

    /// <summary>A Redis node.</summary>
    Redis,

    /// <summary>An XMPP server node.</summary>
    Xmpp,

    /// <summary>An Orleans silo (src/Silo/Host).</summary>
    Silo,

    /// <summary>An HTTP gateway (src/Gateway).</summary>
    Gateway,
}
