namespace Actors.Contracts;

/// <summary>
/// Everything the front ends need to know about one <see cref="WriteOp"/>: its wire name (XMPP <c>op</c> attribute,
/// chat command), its body, and how HTTP selects it. One row of <see cref="WriteOps.All"/>.
/// </summary>
/// <param name="Op">The op.</param>
/// <param name="Name">The lowercase wire name: the XMPP <c>op</c> attribute and the chat command.</param>
/// <param name="Body">The body it takes.</param>
/// <param name="Summary">A few words for help texts, e.g. <c>replace a document</c>.</param>
/// <param name="HttpMethod">The HTTP method of the gateway route that performs it: <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c>.</param>
/// <param name="MediaType">The request <c>Content-Type</c> that selects it on that method; null for a method without a body.</param>
public sealed record WriteOpInfo(WriteOp Op, string Name, WriteBody Body, string Summary, string HttpMethod, string? MediaType)
{
    /// <summary>How a chat user types its arguments, e.g. <c>&lt;root&gt; &lt;json&gt;</c>.</summary>
    public string ChatArguments => Body switch
    {
        WriteBody.None => "<root>",
        WriteBody.Array => "<root> <json-array>",
        _ => "<root> <json>",
    };
}
