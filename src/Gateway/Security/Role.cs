namespace Actors.Gateway.Security;

/// <summary>
/// What a caller may do with a type's roots (docs/security.md). Each role includes the ones below it: an operator may
/// also write, a writer may also read.
/// </summary>
public enum Role
{
    /// <summary>Read roots, list and query them, list the type's indexes.</summary>
    Reader = 1,

    /// <summary>Also put, merge, patch and delete roots.</summary>
    Writer = 2,

    /// <summary>Also declare and drop indexes; with <c>*</c>, <c>GET /v1/cluster</c>.</summary>
    Operator = 3,
}
