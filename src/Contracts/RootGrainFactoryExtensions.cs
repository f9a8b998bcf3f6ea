using System.Runtime.CompilerServices;

namespace Actors.Contracts;

/// <summary>Typed access to root grains.</summary>
public static class RootGrainFactoryExtensions
{
    // Orleans' GetGrain<T>(string) resolves the grain interface type and the grain type from the CLR type on every
    // call, formatting type names each time (3.8 % of the gateway's CPU samples during GET in the perf profile
    // that docs/performance.md cites). Both are fixed for a factory, so they are resolved once per factory and reused.
    private static readonly ConditionalWeakTable<IGrainFactory, RootGrainTypes> TypesByFactory = new();

    /// <summary>The grain for <paramref name="root"/>: the same reference as <c>GetGrain&lt;IRootGrain&gt;("type/id")</c>.</summary>
    public static IRootGrain GetRoot(this IGrainFactory factory, RootId root)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var types = TypesByFactory.GetValue(factory, Resolve);
        var grainId = GrainId.Create(types.GrainType, IdSpan.Create(root.ToString()));
        return (IRootGrain)factory.GetGrain(grainId, types.InterfaceType);
    }

    private static RootGrainTypes Resolve(IGrainFactory factory)
    {
        // Any key will do: only the types of the reference are kept.
        var reference = (GrainReference)(object)factory.GetGrain<IRootGrain>("type/id");
        return new RootGrainTypes(reference.GrainId.Type, reference.InterfaceType);
    }

    private sealed record RootGrainTypes(GrainType GrainType, GrainInterfaceType InterfaceType);
}
