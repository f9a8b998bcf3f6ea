using Actors.Contracts;

namespace Actors.Gateway.Http;

/// <summary>One body a write method takes: the method, the body's media type, the write it means, and how messages name it.</summary>
/// <param name="Method">The HTTP method, e.g. <c>PATCH</c>.</param>
/// <param name="MediaType">The media type of the body, lowercase and without parameters.</param>
/// <param name="Op">The write a request of this method with this body makes.</param>
/// <param name="Name">How messages name the format, e.g. <c>RFC 7386 merge</c>; null when the media type says enough.</param>
internal sealed record BodyFormat(string Method, string MediaType, WriteOp Op, string? Name = null)
{
    /// <summary>The media type, followed by <see cref="Name"/> in parentheses when there is one.</summary>
    public override string ToString() => Name is null ? MediaType : $"{MediaType} ({Name})";
}
