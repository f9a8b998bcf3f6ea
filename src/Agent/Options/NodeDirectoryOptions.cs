namespace Actors.Agent.Options;

/// <summary>
/// A directory whose subdirectories are processes (docs/agent.md, Node directories): <c>./actors redis add-shard</c>
/// writes <c>&lt;port&gt;/redis.conf</c> and the agent starts and supervises that node; a <c>removed</c> file in one
/// makes the agent stop it for good. Scanned every second.
/// </summary>
public sealed class NodeDirectoryOptions
{
    /// <summary>The directory to watch.</summary>
    public string Path { get; set; } = "";

    /// <summary>A subdirectory is a node once this file is in it (written whole: beside it, then renamed).</summary>
    public string ReadyFile { get; set; } = "redis.conf";

    /// <summary>A node whose directory holds this file is stopped for good.</summary>
    public string RemovedFile { get; set; } = "removed";

    /// <summary>The process of one node: <c>{dir}</c> is the subdirectory's name, <c>{path}</c> its full path.</summary>
    public ProcessOptions Template { get; set; } = new();
}
