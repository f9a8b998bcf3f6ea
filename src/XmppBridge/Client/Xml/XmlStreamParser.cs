using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Actors.XmppBridge.Client.Xml;

/// <summary>
/// Push parser for one XMPP stream: bytes in, stream-start / element / stream-end events out.
/// </summary>
/// <remarks>
/// Why our own push parser instead of <c>XmlReader</c> in async mode: XmlReader pulls from a
/// <see cref="Stream"/> and owns its buffering, so it cannot enforce a byte limit on a stanza before
/// materialising it, it cannot be restarted cleanly after STARTTLS and SASL (RFC 6120 §5.4.3.3, §6.4.6),
/// and it reports comments and processing instructions that RFC 6120 §11.1 forbids as ordinary nodes.
/// This parser keeps its state between calls, so a stanza split over any number of reads parses exactly
/// as one read; it holds at most one incomplete token plus the open stanza, both bounded by
/// <see cref="XmlStreamLimits.MaxStanzaBytes"/>. It is not thread-safe: one read loop owns it.
/// Restricted XML (RFC 6120 §11.1): DTDs, comments, processing instructions other than the XML
/// declaration, and entity references other than the five predefined ones and character references
/// raise <see cref="StreamErrorCondition.RestrictedXml"/>.
/// </remarks>
internal sealed class XmlStreamParser : IDisposable
{
    private const int SlowPathChunk = 16 * 1024;

    /// <summary>Stands in for the elements of a stanza being dropped; nothing is ever added to it.</summary>
    private static readonly XElement Discarded = new("discarded");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly XmlStreamLimits _limits;
    private readonly IXmlStreamSink _sink;
    private readonly List<XElement> _open = [];
    private readonly List<string> _openNames = [];
    private readonly List<KeyValuePair<string, string>> _namespaces = [];
    private readonly List<int> _namespaceMarks = [];
    private byte[] _pending = [];
    private int _pendingLength;
    private int _scanOffset;
    private byte _quote;
    private int _stanzaBytes;
    private bool _discard;
    private ParserState _state;
    private string _streamName = string.Empty;

    public XmlStreamParser(IXmlStreamSink sink, XmlStreamLimits? limits = null)
    {
        _sink = sink;
        _limits = limits ?? new XmlStreamLimits();
    }

    private enum ParserState
    {
        BeforeStream,
        InStream,
        Closed,
    }

    /// <summary>True once <c>&lt;/stream:stream&gt;</c> was seen; later input is ignored.</summary>
    public bool IsClosed => _state == ParserState.Closed;

    /// <summary>
    /// Stanzas parsed but not delivered because they went over <see cref="XmlStreamLimits.MaxDepth"/> or
    /// <see cref="XmlStreamLimits.MaxAttributes"/>.
    /// </summary>
    /// <remarks>
    /// A server relays what other users send, and Prosody bounds only a stanza's size: a stream error here would let
    /// any user who can message this client end its session with one deeply nested stanza, again and again (found by
    /// the hostile-input run, docs/security.md). So such a stanza is still parsed for well-formedness (within
    /// <see cref="XmlStreamLimits.MaxStanzaBytes"/>, which does end the stream) and then dropped.
    /// </remarks>
    public int DiscardedStanzas { get; private set; }

    /// <summary>Bytes held for an incomplete token (exposed so tests can assert bounded memory).</summary>
    public int PendingBytes => _pendingLength;

    /// <summary>Forgets everything, ready for a new stream header (stream restart after STARTTLS or SASL).</summary>
    public void Reset()
    {
        _open.Clear();
        _openNames.Clear();
        _discard = false;
        _namespaces.Clear();
        _namespaceMarks.Clear();
        _pendingLength = 0;
        _scanOffset = 0;
        _quote = 0;
        _stanzaBytes = 0;
        _state = ParserState.BeforeStream;
        _streamName = string.Empty;
    }

    /// <summary>Feeds bytes; raises events for everything they complete.</summary>
    /// <exception cref="XmlStreamException">The input violates XML, the XMPP restrictions or a limit.</exception>
    public void Push(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && _state != ParserState.Closed)
        {
            if (_pendingLength == 0)
            {
                // Fast path: parse straight from the caller's buffer and keep only the incomplete tail.
                var consumed = Parse(data);
                Stash(data[consumed..]);
                return;
            }

            // Slow path: an incomplete token is pending. Append in bounded chunks so a huge read cannot
            // grow the buffer beyond the stanza limit before the limit check sees it.
            var chunk = data[..Math.Min(data.Length, SlowPathChunk)];
            data = data[chunk.Length..];
            EnsureCapacity(_pendingLength + chunk.Length);
            chunk.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += chunk.Length;
            var used = Parse(_pending.AsSpan(0, _pendingLength));
            _pending.AsSpan(used, _pendingLength - used).CopyTo(_pending);
            _pendingLength -= used;
        }
    }

    public void Dispose()
    {
        if (_pending.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = [];
        }

        _pendingLength = 0;
    }

    private void Stash(ReadOnlySpan<byte> leftover)
    {
        if (_state == ParserState.Closed)
        {
            _pendingLength = 0;
            return;
        }

        EnsureCapacity(leftover.Length);
        leftover.CopyTo(_pending);
        _pendingLength = leftover.Length;
    }

    private void EnsureCapacity(int size)
    {
        if (_pending.Length >= size)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, 4096));
        _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
        if (_pending.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_pending);
        }

        _pending = bigger;
    }

    private int Parse(ReadOnlySpan<byte> span)
    {
        var pos = 0;
        while (pos < span.Length && _state != ParserState.Closed)
        {
            var rest = span[pos..];
            var used = rest[0] == (byte)'<' ? ParseMarkup(rest) : ParseText(rest);
            if (used == 0)
            {
                break;
            }

            pos += used;
            _scanOffset = 0;
            _quote = 0;
        }

        return pos;
    }

    private void CheckSize(int tokenLength)
    {
        var total = _open.Count > 0 ? (long)_stanzaBytes + tokenLength : tokenLength;
        if (total > _limits.MaxStanzaBytes)
        {
            throw Error(StreamErrorCondition.PolicyViolation, $"stanza larger than {_limits.MaxStanzaBytes} bytes");
        }
    }

    private int ParseText(ReadOnlySpan<byte> rest)
    {
        var lt = rest[_scanOffset..].IndexOf((byte)'<');
        var end = lt < 0 ? rest.Length : _scanOffset + lt;
        if (_open.Count == 0)
        {
            // Between stanzas only whitespace (keep-alives) is allowed; consume it at once so it
            // never accumulates.
            foreach (var b in rest[..end])
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    throw Error(StreamErrorCondition.BadFormat, "character data outside a stanza");
                }
            }

            return end;
        }

        if (lt < 0)
        {
            CheckSize(rest.Length);
            _scanOffset = rest.Length;
            return 0;
        }

        CheckSize(end);
        if (!_discard)
        {
            _open[^1].Add(new XText(Unescape(Decode(rest[..end]), attribute: false)));
        }

        _stanzaBytes += end;
        return end;
    }

    private int ParseMarkup(ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 2)
        {
            return 0;
        }

        switch (rest[1])
        {
            case (byte)'/':
                return ParseEndTag(rest);
            case (byte)'?':
                return ParseDeclaration(rest);
            case (byte)'!':
                return ParseBang(rest);
            default:
                return ParseStartTag(rest);
        }
    }

    private int ParseDeclaration(ReadOnlySpan<byte> rest)
    {
        // Only the XML declaration, and only before the stream header (RFC 6120 §11.5); every other
        // processing instruction is restricted XML (§11.1).
        if (_state != ParserState.BeforeStream)
        {
            throw Error(StreamErrorCondition.RestrictedXml, "processing instruction");
        }

        ReadOnlySpan<byte> xml = "<?xml"u8;
        var prefix = Math.Min(rest.Length, xml.Length + 1);
        for (var i = 0; i < prefix; i++)
        {
            var ok = i < xml.Length ? rest[i] == xml[i] : rest[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
            if (!ok)
            {
                throw Error(StreamErrorCondition.RestrictedXml, "processing instruction");
            }
        }

        var close = IndexOf(rest, "?>"u8, Math.Max(_scanOffset, 2));
        if (close < 0)
        {
            CheckSize(rest.Length);
            _scanOffset = Math.Max(2, rest.Length - 1);
            return 0;
        }

        _ = Decode(rest[..(close + 2)]);
        return close + 2;
    }

    private int ParseBang(ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 3)
        {
            return 0;
        }

        if (rest[2] != (byte)'[')
        {
            // <!DOCTYPE …>, <!ENTITY …>, <!-- … -->: DTDs and comments are restricted XML.
            throw Error(StreamErrorCondition.RestrictedXml, rest[2] == (byte)'-' ? "comment" : "document type declaration");
        }

        ReadOnlySpan<byte> cdata = "<![CDATA["u8;
        var known = Math.Min(rest.Length, cdata.Length);
        if (!rest[..known].SequenceEqual(cdata[..known]))
        {
            throw Error(StreamErrorCondition.NotWellFormed, "malformed markup declaration");
        }

        if (rest.Length < cdata.Length)
        {
            return 0;
        }

        if (_open.Count == 0)
        {
            throw Error(StreamErrorCondition.BadFormat, "character data outside a stanza");
        }

        var close = IndexOf(rest, "]]>"u8, Math.Max(_scanOffset, cdata.Length));
        if (close < 0)
        {
            CheckSize(rest.Length);
            _scanOffset = Math.Max(cdata.Length, rest.Length - 2);
            return 0;
        }

        CheckSize(close + 3);
        if (!_discard)
        {
            var text = Decode(rest[cdata.Length..close]);
            ValidateChars(text);
            _open[^1].Add(new XText(text));
        }

        _stanzaBytes += close + 3;
        return close + 3;
    }

    private int ParseEndTag(ReadOnlySpan<byte> rest)
    {
        var gt = rest[Math.Max(_scanOffset, 2)..].IndexOf((byte)'>');
        if (gt < 0)
        {
            CheckSize(rest.Length);
            _scanOffset = rest.Length;
            return 0;
        }

        var end = Math.Max(_scanOffset, 2) + gt;
        CheckSize(end + 1);
        var name = Decode(rest[2..end]).TrimEnd(' ', '\t', '\r', '\n');
        if (_open.Count == 0)
        {
            if (_state != ParserState.InStream || name != _streamName)
            {
                throw Error(StreamErrorCondition.NotWellFormed, $"unexpected end tag '{name}'");
            }

            _state = ParserState.Closed;
            _sink.OnStreamEnd();
            return end + 1;
        }

        if (name != _openNames[^1])
        {
            throw Error(StreamErrorCondition.NotWellFormed, $"end tag '{name}' does not match '{_openNames[^1]}'");
        }

        var element = _open[^1];
        _open.RemoveAt(_open.Count - 1);
        _openNames.RemoveAt(_openNames.Count - 1);
        PopNamespaces();
        _stanzaBytes += end + 1;
        if (_open.Count == 0)
        {
            _stanzaBytes = 0;
            Deliver(element);
        }

        return end + 1;
    }

    private int ParseStartTag(ReadOnlySpan<byte> rest)
    {
        var i = Math.Max(_scanOffset, 1);
        var quote = _quote;
        var gt = -1;
        for (; i < rest.Length; i++)
        {
            var b = rest[i];
            if (quote != 0)
            {
                if (b == quote)
                {
                    quote = 0;
                }
            }
            else if (b is (byte)'"' or (byte)'\'')
            {
                quote = b;
            }
            else if (b == (byte)'>')
            {
                gt = i;
                break;
            }
            else if (b == (byte)'<')
            {
                throw Error(StreamErrorCondition.NotWellFormed, "'<' inside a tag");
            }
        }

        if (gt < 0)
        {
            CheckSize(rest.Length);
            _scanOffset = rest.Length;
            _quote = quote;
            return 0;
        }

        CheckSize(gt + 1);
        var selfClosing = rest[gt - 1] == (byte)'/';
        var tag = Decode(rest[1..(selfClosing ? gt - 1 : gt)]);
        OnStartTag(tag, selfClosing);
        if (_open.Count > 0)
        {
            _stanzaBytes += gt + 1;
        }

        return gt + 1;
    }

    private void OnStartTag(string tag, bool selfClosing)
    {
        var nameEnd = 0;
        while (nameEnd < tag.Length && !IsWhitespace(tag[nameEnd]))
        {
            nameEnd++;
        }

        var qname = tag[..nameEnd];
        ValidateName(qname);
        // Inside a stanza already being dropped, or one level too deep: only the names are kept, so the end tags can
        // still be matched; no attributes, namespaces or text are processed for it.
        var attributes = _discard || _open.Count + 1 > _limits.MaxDepth ? null : ParseAttributes(tag, nameEnd);
        if (attributes is null && _state != ParserState.BeforeStream)
        {
            _discard = true;
            _namespaceMarks.Add(_namespaces.Count);
            if (selfClosing)
            {
                PopNamespaces();
                if (_open.Count == 0)
                {
                    _stanzaBytes = 0;
                    Deliver(Discarded);
                }

                return;
            }

            _open.Add(Discarded);
            _openNames.Add(qname);
            return;
        }

        attributes ??= [];

        _namespaceMarks.Add(_namespaces.Count);
        foreach (var (name, value) in attributes)
        {
            if (name == "xmlns")
            {
                _namespaces.Add(new(string.Empty, value));
            }
            else if (name.StartsWith("xmlns:", StringComparison.Ordinal))
            {
                if (value.Length == 0)
                {
                    throw Error(StreamErrorCondition.BadNamespacePrefix, $"prefix '{name[6..]}' bound to no namespace");
                }

                _namespaces.Add(new(name[6..], value));
            }
        }

        var element = new XElement(ResolveElementName(qname));
        foreach (var (name, value) in attributes)
        {
            if (name == "xmlns" || name.StartsWith("xmlns:", StringComparison.Ordinal))
            {
                continue;
            }

            var expanded = ResolveAttributeName(name);
            if (element.Attribute(expanded) is not null)
            {
                throw Error(StreamErrorCondition.NotWellFormed, $"duplicate attribute '{name}'");
            }

            element.Add(new XAttribute(expanded, value));
        }

        if (_state == ParserState.BeforeStream)
        {
            if (element.Name.LocalName != "stream" || element.Name.NamespaceName != XmppNamespaces.Stream)
            {
                throw Error(StreamErrorCondition.InvalidNamespace, $"stream header expected, got '{qname}'");
            }

            _state = ParserState.InStream;
            _streamName = qname;
            _sink.OnStreamStart(element);
            if (selfClosing)
            {
                _state = ParserState.Closed;
                _sink.OnStreamEnd();
            }

            return;
        }

        if (_open.Count == 0 && element.Name.LocalName == "stream" && element.Name.NamespaceName == XmppNamespaces.Stream)
        {
            // A stream restart is announced by us (Reset); a second header the peer sends on its own
            // is not valid content of an XMPP stream.
            throw Error(StreamErrorCondition.InvalidXml, "second stream header");
        }

        if (_open.Count > 0)
        {
            _open[^1].Add(element);
        }

        if (selfClosing)
        {
            PopNamespaces();
            if (_open.Count == 0)
            {
                _stanzaBytes = 0;
                Deliver(element);
            }

            return;
        }

        _open.Add(element);
        _openNames.Add(qname);
    }

    /// <summary>Hands a completed stanza to the sink, or drops it when it went over a content limit.</summary>
    private void Deliver(XElement element)
    {
        if (_discard)
        {
            _discard = false;
            DiscardedStanzas++;
            return;
        }

        _sink.OnElement(element);
    }

    private List<KeyValuePair<string, string>>? ParseAttributes(string tag, int pos)
    {
        var attributes = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var start = pos;
            while (pos < tag.Length && IsWhitespace(tag[pos]))
            {
                pos++;
            }

            if (pos >= tag.Length)
            {
                return attributes;
            }

            if (pos == start)
            {
                throw Error(StreamErrorCondition.NotWellFormed, "attributes must be separated by whitespace");
            }

            var nameStart = pos;
            while (pos < tag.Length && tag[pos] != '=' && !IsWhitespace(tag[pos]))
            {
                pos++;
            }

            var name = tag[nameStart..pos];
            ValidateName(name);
            while (pos < tag.Length && IsWhitespace(tag[pos]))
            {
                pos++;
            }

            if (pos >= tag.Length || tag[pos] != '=')
            {
                throw Error(StreamErrorCondition.NotWellFormed, $"attribute '{name}' has no value");
            }

            pos++;
            while (pos < tag.Length && IsWhitespace(tag[pos]))
            {
                pos++;
            }

            if (pos >= tag.Length || tag[pos] is not ('"' or '\''))
            {
                throw Error(StreamErrorCondition.NotWellFormed, $"attribute '{name}' value is not quoted");
            }

            var quote = tag[pos];
            var close = tag.IndexOf(quote, pos + 1);
            if (close < 0)
            {
                throw Error(StreamErrorCondition.NotWellFormed, $"attribute '{name}' value is not closed");
            }

            var value = Unescape(tag[(pos + 1)..close], attribute: true);
            pos = close + 1;
            foreach (var existing in attributes)
            {
                if (existing.Key == name)
                {
                    throw Error(StreamErrorCondition.NotWellFormed, $"duplicate attribute '{name}'");
                }
            }

            attributes.Add(new(name, value));
            if (attributes.Count > _limits.MaxAttributes)
            {
                if (_state == ParserState.BeforeStream)
                {
                    throw Error(StreamErrorCondition.PolicyViolation, $"more than {_limits.MaxAttributes} attributes");
                }

                // The caller drops the stanza (DiscardedStanzas); the rest of this tag is not needed.
                return null;
            }
        }
    }

    private XName ResolveElementName(string qname)
    {
        var colon = qname.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? string.Empty : qname[..colon];
        var local = colon < 0 ? qname : qname[(colon + 1)..];
        var ns = LookupNamespace(prefix);
        if (ns is null)
        {
            if (prefix.Length == 0)
            {
                ns = string.Empty;
            }
            else
            {
                throw Error(StreamErrorCondition.BadNamespacePrefix, $"unbound prefix '{prefix}'");
            }
        }

        return XName.Get(local, ns);
    }

    private XName ResolveAttributeName(string qname)
    {
        var colon = qname.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return XName.Get(qname);
        }

        var prefix = qname[..colon];
        var ns = prefix == "xml" ? XmppNamespaces.Xml : LookupNamespace(prefix);
        return ns is null
            ? throw Error(StreamErrorCondition.BadNamespacePrefix, $"unbound prefix '{prefix}'")
            : XName.Get(qname[(colon + 1)..], ns);
    }

    private string? LookupNamespace(string prefix)
    {
        for (var i = _namespaces.Count - 1; i >= 0; i--)
        {
            if (_namespaces[i].Key == prefix)
            {
                return _namespaces[i].Value;
            }
        }

        return null;
    }

    private void PopNamespaces()
    {
        var mark = _namespaceMarks[^1];
        _namespaceMarks.RemoveAt(_namespaceMarks.Count - 1);
        _namespaces.RemoveRange(mark, _namespaces.Count - mark);
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(StreamErrorCondition.UnsupportedEncoding, "input is not valid UTF-8");
        }
    }

    private static string Unescape(string raw, bool attribute)
    {
        if (raw.AsSpan().IndexOfAny('&', '\r', '<') < 0 && !(attribute && raw.AsSpan().IndexOfAny('\t', '\n') >= 0))
        {
            ValidateChars(raw);
            return raw;
        }

        var sb = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            switch (c)
            {
                case '<':
                    throw Error(StreamErrorCondition.NotWellFormed, "'<' in an attribute value");
                case '&':
                    var semi = raw.IndexOf(';', i + 1);
                    if (semi < 0)
                    {
                        throw Error(StreamErrorCondition.NotWellFormed, "unterminated reference");
                    }

                    AppendReference(sb, raw[(i + 1)..semi]);
                    i = semi;
                    break;
                case '\r':
                    // End-of-line handling (XML 1.0 §2.11): CRLF and lone CR become LF.
                    if (i + 1 < raw.Length && raw[i + 1] == '\n')
                    {
                        i++;
                    }

                    sb.Append(attribute ? ' ' : '\n');
                    break;
                case '\t' or '\n' when attribute:
                    // Attribute-value normalisation (XML 1.0 §3.3.3).
                    sb.Append(' ');
                    break;
                default:
                    if (!IsXmlChar(c))
                    {
                        throw Error(StreamErrorCondition.NotWellFormed, $"character U+{(int)c:X4} is not allowed in XML");
                    }

                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    private static void AppendReference(StringBuilder sb, string name)
    {
        switch (name)
        {
            case "lt": sb.Append('<'); return;
            case "gt": sb.Append('>'); return;
            case "amp": sb.Append('&'); return;
            case "quot": sb.Append('"'); return;
            case "apos": sb.Append('\''); return;
        }

        if (name.Length < 2 || name[0] != '#')
        {
            throw Error(StreamErrorCondition.RestrictedXml, $"entity reference '&{name};'");
        }

        var hex = name[1] == 'x';
        var digits = name.AsSpan(hex ? 2 : 1);
        if (digits.IsEmpty || digits.Length > 8
            || !int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || code is 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF)
            || (code < 0x10000 && !IsXmlChar((char)code)))
        {
            throw Error(StreamErrorCondition.NotWellFormed, $"invalid character reference '&{name};'");
        }

        sb.Append(char.ConvertFromUtf32(code));
    }

    private static void ValidateChars(string text)
    {
        foreach (var c in text)
        {
            if (!IsXmlChar(c))
            {
                throw Error(StreamErrorCondition.NotWellFormed, $"character U+{(int)c:X4} is not allowed in XML");
            }
        }
    }

    /// <summary>XML 1.0 Char production; surrogates arrive only as valid pairs from the strict decoder.</summary>
    internal static bool IsXmlChar(char c) => c >= 0x20 ? c is not ('\uFFFE' or '\uFFFF') : c is '\t' or '\n' or '\r';

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name[0] == ':' || name[^1] == ':' || char.IsAsciiDigit(name[0]) || name[0] is '-' or '.')
        {
            throw Error(StreamErrorCondition.NotWellFormed, $"invalid name '{name}'");
        }

        var colons = 0;
        foreach (var c in name)
        {
            if (c == ':')
            {
                colons++;
            }
            else if (c < 0x80 && !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                throw Error(StreamErrorCondition.NotWellFormed, $"invalid name '{name}'");
            }
        }

        if (colons > 1)
        {
            throw Error(StreamErrorCondition.NotWellFormed, $"invalid name '{name}'");
        }
    }

    private static int IndexOf(ReadOnlySpan<byte> span, ReadOnlySpan<byte> value, int from)
    {
        if (from >= span.Length)
        {
            return -1;
        }

        var i = span[from..].IndexOf(value);
        return i < 0 ? -1 : from + i;
    }

    private static XmlStreamException Error(StreamErrorCondition condition, string message) => new(condition, message);
}
