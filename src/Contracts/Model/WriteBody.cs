namespace Actors.Contracts;

/// <summary>What body a <see cref="WriteOp"/> takes (the JSON a write carries).</summary>
public enum WriteBody
{
    /// <summary>No body: a write of this op carries no JSON.</summary>
    None = 0,

    /// <summary>A JSON object.</summary>
    Object = 1,

    /// <summary>A JSON array.</summary>
    Array = 2,
}
