using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Actors.XmppBridge.Client.Store;
using Actors.Contracts;
using Actors.XmppBridge.Client.Stanzas;

namespace Actors.XmppBridge.Bridge;

/// <summary>
/// A parsed <c>&lt;write xmlns="urn:actors:1" root=".." op=".." if-version=".."&gt;json&lt;/write&gt;</c>: the root
/// and the command to send to its grain.
/// </summary>
internal sealed record WriteRequest(RootId Root, WriteCommand Command)
{
    /// <summary>
    /// Reads a write element. <paramref name="writeId"/> is already scoped to the sender (bare JID + "/" + id).
    /// On failure <paramref name="error"/> is the stanza error to answer with.
    /// </summary>
    public static bool TryParse(XElement write, string writeId, int maxWriteBytes, [NotNullWhen(true)] out WriteRequest? request, [NotNullWhen(false)] out StanzaError? error)
    {
        ArgumentNullException.ThrowIfNull(write);
        request = null;
        if (!RootId.TryParse((string?)write.Attribute("root"), out var root, out var rootError))
        {
            error = BridgeErrors.From(ActorsError.InvalidRootId(rootError));
            return false;
        }

        var opName = (string?)write.Attribute("op");
        if (!WriteOps.TryParse(opName, out var op))
        {
            error = BridgeErrors.BadRequest($"op '{opName}' is not a write: use op=\"put\", \"merge\", \"patch\" or \"delete\".");
            return false;
        }

        long? ifVersion = null;
        if ((string?)write.Attribute("if-version") is { } ifText)
        {
            if (!long.TryParse(ifText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                error = BridgeErrors.BadRequest($"if-version '{ifText}' must be a non-negative integer version.");
                return false;
            }

            ifVersion = parsed;
        }

        var json = write.Value;
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > maxWriteBytes)
        {
            error = BridgeErrors.TooLarge(bytes, maxWriteBytes);
            return false;
        }

        string? body = op == WriteOp.Delete && string.IsNullOrWhiteSpace(json) ? null : json;
        request = new WriteRequest(root, new WriteCommand(op.Value, writeId, body, ifVersion));
        error = null;
        return true;
    }

    /// <summary>The <c>&lt;written/&gt;</c> element for a successful result.</summary>
    public static XElement Written(WriteResult result) =>
        new(ActorsXml.Written,
            new XAttribute("root", result.Root),
            new XAttribute("version", result.Version.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("duplicate", result.Duplicate ? "true" : "false"));
}
