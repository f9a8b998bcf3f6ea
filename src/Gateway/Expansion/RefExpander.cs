using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Contracts;
using Actors.Gateway.Cluster;
using Actors.Gateway.Options;
using Actors.Gateway.Problems;
using Microsoft.Extensions.Options;

namespace Actors.Gateway.Expansion;

/// <summary>
/// Resolves weak references (docs/data-model.md): every object with a string member <c>"$ref": "type/id"</c> gets
/// <c>"$value"</c> (the referenced document) or <c>"$missing": true</c> (the root does not exist). References inside
/// a loaded document are resolved in turn, up to the requested depth.
/// </summary>
/// <remarks>
/// All references of one document are loaded in parallel, each from its own grain; within one request each root is
/// read once. A reference to a root already on the path from the top document is left as it is, so cycles end. An
/// object whose <c>$ref</c> is not a valid root id is not a reference and is left alone.
/// </remarks>
internal sealed class RefExpander(ActorsCluster cluster, IOptions<GatewayOptions> options)
{
    /// <summary>The member that names the referenced root.</summary>
    public const string RefMember = "$ref";

    /// <summary>The member that receives the referenced document.</summary>
    public const string ValueMember = "$value";

    /// <summary>The member set to <c>true</c> for a dangling reference.</summary>
    public const string MissingMember = "$missing";

    /// <summary>The member set to <c>true</c> for a reference to a type the caller may not read; the root is not loaded.</summary>
    public const string ForbiddenMember = "$forbidden";

    // Expanded documents nest inside each other, each up to the store's depth limit (64 by default).
    private const int MaxNesting = 4096;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxNesting };

    /// <summary>
    /// <paramref name="json"/>, read from <paramref name="top"/>, with references expanded <paramref name="depth"/>
    /// levels deep, as compact JSON. References to types <paramref name="mayRead"/> refuses are marked, not loaded.
    /// </summary>
    public async Task<string> ExpandAsync(RootId top, string json, int depth, Func<string, bool> mayRead, CancellationToken cancellationToken)
    {
        var node = JsonNode.Parse(json, documentOptions: DocumentOptions);
        var session = new Session(cluster, options.Value, mayRead);
        await ExpandAsync(node, [top.ToString()], depth, session, cancellationToken);
        return Serialize(node);
    }

    private static async Task ExpandAsync(JsonNode? node, ImmutableHashSet<string> path, int depth, Session session, CancellationToken cancellationToken)
    {
        if (depth <= 0 || node is null)
        {
            return;
        }
        var references = new List<(JsonObject Owner, RootId Root)>();
        Collect(node, references);
        var resolved = await Task.WhenAll(references
            .Where(reference => !path.Contains(reference.Root.ToString()))
            .Select(reference => ResolveAsync(reference.Owner, reference.Root, path, depth, session, cancellationToken)));
        // Attach on this thread, after all loads: JsonNode trees are not thread-safe.
        foreach (var (owner, value, forbidden) in resolved)
        {
            if (forbidden)
            {
                owner.Remove(ValueMember);
                owner.Remove(MissingMember);
                owner[ForbiddenMember] = true;
            }
            else if (value is null)
            {
                owner.Remove(ValueMember);
                owner[MissingMember] = true;
            }
            else
            {
                owner.Remove(MissingMember);
                owner[ValueMember] = value;
            }
        }
    }

    private static async Task<(JsonObject Owner, JsonNode? Value, bool Forbidden)> ResolveAsync(
        JsonObject owner, RootId root, ImmutableHashSet<string> path, int depth, Session session, CancellationToken cancellationToken)
    {
        if (!session.MayRead(root.Type))
        {
            return (owner, null, true);
        }
        var json = await session.ReadAsync(root, cancellationToken);
        if (json is null)
        {
            return (owner, null, false);
        }
        // Each occurrence gets its own copy: a node can have only one parent.
        var value = JsonNode.Parse(json, documentOptions: DocumentOptions);
        await ExpandAsync(value, path.Add(root.ToString()), depth - 1, session, cancellationToken);
        return (owner, value, false);
    }

    private static void Collect(JsonNode node, List<(JsonObject Owner, RootId Root)> references)
    {
        switch (node)
        {
            case JsonObject obj when obj.TryGetPropertyValue(RefMember, out var target)
                && target is JsonValue value && value.TryGetValue<string>(out var text) && RootId.TryParse(text, out var root, out _):
                // A reference's own members are not searched: $value is what this expansion writes.
                references.Add((obj, root));
                break;
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, references);
                    }
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Collect(child, references);
                    }
                }
                break;
        }
    }

    private static string Serialize(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxNesting }))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One request's reads: each root read once, and the limits on fan-out and size.</summary>
    private sealed class Session(ActorsCluster cluster, GatewayOptions options, Func<string, bool> mayRead)
    {
        /// <summary>Whether the caller may read roots of <paramref name="type"/> (the reader role on it).</summary>
        public bool MayRead(string type) => mayRead(type);

        private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _reads = new(StringComparer.Ordinal);
        private int _expanded;
        private long _bytes;

        /// <summary>The referenced document, or null when the root does not exist.</summary>
        public async Task<string?> ReadAsync(RootId root, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _expanded) > options.MaxExpandedRefs)
            {
                throw new GatewayProblemException(
                    ProblemTypes.TooLarge,
                    $"Expanding would resolve more than {options.MaxExpandedRefs:N0} references; ask for a smaller depth or read the referenced roots separately.");
            }
            var json = await _reads.GetOrAdd(root.ToString(), _ => new Lazy<Task<string?>>(() => LoadAsync(root))).Value.WaitAsync(cancellationToken);
            if (json is not null && Interlocked.Add(ref _bytes, json.Length) > options.MaxExpandedBytes)
            {
                throw new GatewayProblemException(
                    ProblemTypes.TooLarge,
                    $"Expanding would inline more than {options.MaxExpandedBytes:N0} bytes of referenced documents; ask for a smaller depth or read the referenced roots separately.");
            }
            return json;
        }

        private async Task<string?> LoadAsync(RootId root)
        {
            var result = await cluster.CallAsync(root, grain => grain.ReadAsync());
            if (result.Succeeded)
            {
                return result.Json;
            }
            return result.Error.Kind == ActorsErrorKind.RootNotFound ? null : throw new ActorsException(result.Error);
        }
    }
}
