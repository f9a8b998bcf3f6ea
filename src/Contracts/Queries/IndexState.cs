namespace Actors.Contracts;

/// <summary>Whether an index can be queried yet.</summary>
public enum IndexState
{
    /// <summary>Declared on a type that has roots: being built in the background; queries are refused with the progress.</summary>
    Building = 1,

    /// <summary>Holds every root of the type that has a value at the pointer; queries run.</summary>
    Ready = 2,
}
