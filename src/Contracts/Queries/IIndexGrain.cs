namespace Actors.Contracts;

/// <summary>
/// One secondary index, keyed <c>type/name</c>: declares it (and builds it in the background over the type's existing
/// roots, resumably), shows it, drops it. Get it with <see cref="RootQueryGrainFactoryExtensions.GetIndex"/>.
/// </summary>
public interface IIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Declares the index on <paramref name="pointer"/>: created (building, or ready at once on a type without roots),
    /// or found identical; a different pointer under the same name is refused (drop it first).
    /// </summary>
    Task<IndexResult> DeclareAsync(string pointer);

    /// <summary>The index with its state and progress, or <see cref="ActorsErrorKind.IndexNotFound"/>.</summary>
    Task<IndexResult> GetAsync();

    /// <summary>Drops the index (never touching documents), or <see cref="ActorsErrorKind.IndexNotFound"/>.</summary>
    Task<IndexResult> DropAsync();
}
