namespace Actors.Silo.Documents;

/// <summary>The six operations of RFC 6902 §4.</summary>
internal enum JsonPatchOperationKind
{
    /// <summary>§4.1: insert or set a value (an existing member is replaced; an array index inserts).</summary>
    Add,

    /// <summary>§4.2: remove the value at the path, which must exist.</summary>
    Remove,

    /// <summary>§4.3: replace the value at the path, which must exist.</summary>
    Replace,

    /// <summary>§4.4: remove the value at "from" and add it at the path.</summary>
    Move,

    /// <summary>§4.5: add a copy of the value at "from" at the path.</summary>
    Copy,

    /// <summary>§4.6: fail unless the value at the path equals the given value.</summary>
    Test,
}
