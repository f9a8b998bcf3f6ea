using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Actors.XmppBridge.Client.Options;

/// <summary>One XMPP server a client may connect to: a host name or address and its client-to-server port.</summary>
/// <param name="Host">Host name or IP address.</param>
/// <param name="Port">Client-to-server TCP port (5222 by default in XMPP).</param>
public sealed record XmppServerEndpoint(string Host, int Port)
{
    /// <summary>The XMPP client-to-server port (RFC 6120 §14.7) used when an endpoint names none.</summary>
    public const int DefaultPort = 5222;

    /// <summary>Parses <c>host:port</c>, <c>host</c> (port 5222), <c>[::1]:port</c> or <c>[::1]</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out XmppServerEndpoint? endpoint)
    {
        endpoint = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string host;
        string? port = null;
        if (text[0] == '[')
        {
            // An IPv6 literal in brackets, as in URIs (RFC 3986 §3.2.2), so its colons are not read as the port's.
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 2 || (close + 1 < text.Length && text[close + 1] != ':'))
            {
                return false;
            }

            host = text[1..close];
            port = close + 1 < text.Length ? text[(close + 2)..] : null;
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false; // a bare IPv6 address: ambiguous without brackets
            }

            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        var number = DefaultPort;
        if (host.Length == 0 || host.Any(char.IsWhiteSpace)
            || (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535)))
        {
            return false;
        }

        endpoint = new XmppServerEndpoint(host, number);
        return true;
    }

    /// <summary>Parses like <see cref="TryParse"/>.</summary>
    /// <exception cref="FormatException">Not <c>host[:port]</c> with a port of 1–65535.</exception>
    public static XmppServerEndpoint Parse(string text) =>
        TryParse(text, out var endpoint) ? endpoint : throw new FormatException($"'{text}' is not an XMPP server endpoint (host:port, port 1-65535).");

    /// <summary><c>host:port</c>, with brackets around an IPv6 address.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
