namespace Actors.Contracts;

/// <summary>Typed access to root grains.</summary>
public static class RootGrainFactoryExtensions
{
    /// <summary>The grain for <paramref name="root"/>.</summary>
    public static IRootGrain GetRoot(this IGrainFactory factory, RootId root)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.GetGrain<IRootGrain>(root.ToString());
    }
}
