namespace Actors.Gateway.Problems;

/// <summary>One kind of RFC 9457 problem the gateway reports: a stable <c>type</c> URI, its HTTP status and title.</summary>
/// <param name="Name">The last segment of the type URI; part of the public contract, never renamed.</param>
/// <param name="Status">The HTTP status sent with this problem.</param>
/// <param name="Title">A short summary that does not change from occurrence to occurrence (RFC 9457 §3.1.3).</param>
internal sealed record ProblemType(string Name, int Status, string Title)
{
    /// <summary>The base of every problem type URI.</summary>
    public const string BaseUri = "https://actors.dev/problems/";

    /// <summary>The <c>type</c> member: <see cref="BaseUri"/> followed by <see cref="Name"/>.</summary>
    public string Uri => BaseUri + Name;
}
