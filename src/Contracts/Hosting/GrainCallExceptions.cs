using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Actors.Contracts.Hosting;

/// <summary>
/// Which exceptions may travel back from a grain call. Orleans serializes an exception only if its type's namespace is
/// on a list (System, Microsoft, Orleans…); anything else — StackExchange.Redis' exceptions, which
/// <see cref="StorageUnavailableException"/> keeps as its cause — fails to serialize, and the caller gets an internal
/// error instead of the retryable storage failure (a gateway answered <c>500</c> instead of <c>503</c> when a Redis
/// primary died mid-write). Silos and clients both call this, so the cause crosses and is logged on the caller's side.
/// The caller must be able to load every type that crosses: one from an assembly it lacks fails the whole call with a
/// TypeLoadException (Orleans.Persistence.Redis's, which silos' StorageFailure keeps out). StackExchange.Redis' own exceptions
/// carry their socket library's as causes (Pipelines.Sockets.Unofficial's <c>ConnectionResetException</c> when a Redis
/// node restarts mid-command, seen in the rolling-restart scenario), so that namespace is on the list too.
/// </summary>
public static class GrainCallExceptions
{
    /// <summary>The namespaces added to Orleans' defaults.</summary>
    public static IReadOnlyList<string> AddedNamespaces { get; } = ["StackExchange.Redis", "Pipelines.Sockets.Unofficial"];

    /// <summary>Lets the exceptions of <see cref="AddedNamespaces"/> cross grain calls.</summary>
    public static IServiceCollection AddActorsGrainCallExceptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.Configure<ExceptionSerializationOptions>(options =>
        {
            foreach (var prefix in AddedNamespaces)
            {
                options.SupportedNamespacePrefixes.Add(prefix);
            }
        });
    }
}
