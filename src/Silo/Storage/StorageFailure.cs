using System.Reflection;
using Actors.Contracts;

namespace Actors.Silo.Storage;

/// <summary>
/// Builds the <see cref="StorageUnavailableException"/> that leaves a grain for a gateway, a bridge or a .NET client.
/// Its inner exception travels with it and is deserialized there, so it must be of a type every front end can load:
/// Orleans' <c>RedisStorageException</c> (from Orleans.Persistence.Redis, which only silos load; the reader of the old
/// layout throws it) made the gateway fail with a <see cref="TypeLoadException"/> and answer 500 instead of 503 while a
/// Redis node restarted (fault scenario 12 in CI, 2026-12-05). The cause kept is the first in the chain whose types,
/// with all it wraps, come from assemblies every front end loads; the caller's message keeps the outermost cause's text.
/// </summary>
internal static class StorageFailure
{
    public static StorageUnavailableException Unavailable(string message, Exception cause)
    {
        Exception? portable;
        try
        {
            portable = PortableCause(cause);
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or TypeLoadException)
        {
            // Sorting the cause must never turn a retryable storage failure into another error.
            portable = null;
        }

        return portable is null ? new(message) : new(message, portable);
    }

    /// <summary>The first exception of <paramref name="cause"/>'s chain that a front end can deserialize whole; null if none.</summary>
    internal static Exception? PortableCause(Exception? cause)
    {
        for (var current = cause; current is not null; current = current.InnerException)
        {
            if (IsPortableChain(current))
            {
                return current;
            }
        }

        return null;
    }

    private static bool IsPortableChain(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (!IsPortable(current.GetType().Assembly) || (current is AggregateException aggregate && !aggregate.InnerExceptions.All(IsPortableChain)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPortable(Assembly assembly) =>
        assembly == typeof(object).Assembly || FrontEndAssemblies.Value.Contains(assembly.GetName().Name!);

    /// <summary>
    /// Actors.Contracts and every assembly it needs, found by following references: what every front end loads (the
    /// gateway, the bridge and .NET clients all reference Contracts). Built once, on the first storage failure.
    /// </summary>
    private static readonly Lazy<HashSet<string>> FrontEndAssemblies = new(() =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(StorageUnavailableException).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            if (!names.Add(assembly.GetName().Name!))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => !names.Contains(r.Name!)))
            {
                try
                {
                    pending.Enqueue(Assembly.Load(reference));
                }
                catch (Exception ex) when (ex is IOException or BadImageFormatException)
                {
                    // Not present here either: no exception type can come from it.
                }
            }
        }

        return names;
    });
}
