namespace Actors.Contracts;

/// <summary>The four write operations of docs/data-model.md.</summary>
public enum WriteOp
{
    /// <summary>Replace the document (create it if absent). Body: a JSON object.</summary>
    Put = 0,

    /// <summary>RFC 7386 JSON Merge Patch; an absent root starts from <c>{}</c>. Body: a JSON object.</summary>
    Merge = 1,

    /// <summary>RFC 6902 JSON Patch, atomic; an absent root starts from <c>{}</c>. Body: a JSON array.</summary>
    Patch = 2,

    /// <summary>Delete the root, leaving a tombstone that keeps its version. No body.</summary>
    Delete = 3,
}
