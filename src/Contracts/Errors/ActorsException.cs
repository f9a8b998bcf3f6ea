namespace Actors.Contracts;

/// <summary>Thrown by convenience methods (<see cref="WriteResult.EnsureSuccess"/>, <see cref="RootId.Parse"/>) to carry an <see cref="ActorsError"/>.</summary>
public sealed class ActorsException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public ActorsException(ActorsError error)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>The error carried.</summary>
    public ActorsError Error { get; }

    /// <summary>Shortcut for <c>Error.Kind</c>.</summary>
    public ActorsErrorKind Kind => Error.Kind;
}
