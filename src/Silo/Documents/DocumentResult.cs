using System.Diagnostics.CodeAnalysis;
using Actors.Contracts;

namespace Actors.Silo.Documents;

/// <summary>The outcome of <see cref="DocumentEngine"/>: compact JSON, or the error that stopped it.</summary>
/// <param name="Json">The new document (for a write) or the value read, as compact JSON; null on error.</param>
/// <param name="Error">Why nothing was produced; null on success.</param>
internal readonly record struct DocumentResult(string? Json, ActorsError? Error)
{
    /// <summary>True when <see cref="Json"/> holds the result.</summary>
    [MemberNotNullWhen(true, nameof(Json))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>A success carrying <paramref name="json"/>.</summary>
    public static DocumentResult Ok(string json) => new(json, null);

    /// <summary>A failure carrying <paramref name="error"/>.</summary>
    public static DocumentResult Fail(ActorsError error) => new(null, error);
}
