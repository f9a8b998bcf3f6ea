namespace Actors.XmppBridge.Client;

/// <summary>
/// SASL authentication failed (RFC 6120 §6.5). <see cref="Condition"/> is the SASL failure condition the
/// server sent (e.g. <c>not-authorized</c>, <c>account-disabled</c>) or, for a failure detected by the
/// client (bad server signature, no usable mechanism), <c>malformed-request</c> / <c>invalid-mechanism</c>.
/// </summary>
public sealed class XmppAuthenticationException(string condition, string? text)
    : XmppException($"XMPP authentication failed: {condition}{(text is null ? string.Empty : " — " + text)}")
{
    /// <summary>The SASL condition element name.</summary>
    public string Condition { get; } = condition;

    /// <summary>The server's or client's explanation, if any.</summary>
    public string? Text { get; } = text;
}
