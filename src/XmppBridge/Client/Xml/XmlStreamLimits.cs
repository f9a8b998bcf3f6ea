namespace Actors.XmppBridge.Client.Xml;

/// <summary>Hard limits on what a peer may make the parser hold.</summary>
internal sealed record XmlStreamLimits
{
    /// <summary>Largest first-level element in bytes (Prosody's default is also 256 KiB).</summary>
    public int MaxStanzaBytes { get; init; } = 256 * 1024;

    /// <summary>Deepest nesting inside one stanza; the stanza itself is depth 1.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most attributes (namespace declarations included) on one element.</summary>
    public int MaxAttributes { get; init; } = 64;
}
