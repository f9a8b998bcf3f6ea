using Actors.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Actors.Benchmarks.Hosting;

/// <summary>
/// <c>silo</c>: a silo exactly as src/Silo/Host builds it (AddActorsSilo), which also hosts this project's baseline grains
/// because Orleans finds them in the entry assembly. Configured from the command line like the silo executable (Actors.Silo.Host).
/// </summary>
internal static class SiloMode
{
    /// <summary>Orleans' own Redis grain storage beside the roots' storage, for <see cref="Grains.OrleansBareGrain"/>.</summary>
    public const string OrleansStorageName = "orleans-redis";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var redis = builder.Configuration["Actors:Redis"];
        builder.AddActorsSilo(silo =>
        {
            if (!string.IsNullOrEmpty(redis))
            {
                silo.AddActorsRedisRootStorage(OrleansStorageName, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            }
        });
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }
}
