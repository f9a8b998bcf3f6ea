using System.Net;
using Actors.Contracts.Hosting;
using Actors.Silo.Options;
using Actors.XmppBridge.Bridge;
using Actors.XmppBridge.Bridge.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Hosting;

/// <summary><c>AddActorsSilo()</c>: turns a host into an Actors silo configured from the <c>Actors</c> configuration section.</summary>
public static class ActorsSiloExtensions
{
    /// <summary>The grain storage provider name root grains persist to.</summary>
    public const string StorageName = "roots";

    /// <summary>
    /// Adds an Orleans silo hosting the root grains. With <c>Actors:Redis</c> set, membership and grain state live in
    /// Redis and any number of silos form one cluster; without it the silo runs alone with in-memory storage
    /// (the embedded default) and says so loudly at startup.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="configureSilo">Extra silo configuration (the XMPP bridge, tests), applied last.</param>
    public static IHostApplicationBuilder AddActorsSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var cluster = Bind<ActorsClusterOptions>(configuration, ActorsClusterOptions.SectionName);
        var endpoint = Bind<SiloEndpointOptions>(configuration, SiloEndpointOptions.SectionName);
        var failureDetection = Bind<FailureDetectionOptions>(configuration, FailureDetectionOptions.SectionName);
        var validator = new ActorsSiloOptionsValidator();
        ThrowIfInvalid(validator.Validate(null, endpoint));
        ThrowIfInvalid(validator.Validate(null, failureDetection));

        builder.Services.AddSingleton(cluster);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(endpoint));
        builder.Services.AddSingleton<IValidateOptions<RootGrainOptions>>(validator);
        builder.Services.AddOptions<RootGrainOptions>().BindConfiguration(RootGrainOptions.SectionName).ValidateOnStart();
        builder.Services.AddHostedService<StartupBanner>();
        // Give Orleans time to hand grains over and the bridge time to say goodbye on SIGTERM / Ctrl-C.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = endpoint.EffectiveName);
            if (cluster.UsesRedis)
            {
                var redis = cluster.Redis!;
                silo.UseRedisClustering(redis);
                silo.ConfigureEndpoints(IPAddress.Parse(endpoint.AdvertisedAddress), endpoint.SiloPort, endpoint.GatewayPort, listenOnAnyHostAddress: true);
                silo.AddRedisGrainStorage(StorageName, options => options.Configure<Serializer>((o, serializer) =>
                {
                    o.ConfigurationOptions = ConfigurationOptions.Parse(redis);
                    // Keep connecting in the background when Redis is down at startup or restarts; writes fail fast meanwhile.
                    o.ConfigurationOptions.AbortOnConnectFail = false;
                    // Orleans' binary serializer: compact and fast for the write-id memory persisted with every write.
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                }));
            }
            else
            {
                silo.UseLocalhostClustering(endpoint.SiloPort, endpoint.GatewayPort);
                silo.AddMemoryGrainStorage(StorageName);
            }
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = failureDetection.ProbeTimeout;
                o.NumMissedProbesLimit = failureDetection.MissedProbesLimit;
                o.NumVotesForDeathDeclaration = failureDetection.VotesForDeathDeclaration;
                o.TableRefreshTimeout = failureDetection.TableRefreshTimeout;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
            });
            // Every silo is a Jabber client when Actors:Xmpp:Jid is configured (DESIGN.md §5); otherwise it says so once.
            silo.AddXmppBridge();
            silo.Services.AddSingleton<IHealthProbe, StorageHealthProbe>();
            configureSilo?.Invoke(silo);
        });
        return builder;
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static void ThrowIfInvalid(ValidateOptionsResult result)
    {
        if (result.Failed)
        {
            throw new OptionsValidationException("Actors", typeof(ActorsSiloOptionsValidator), result.Failures);
        }
    }
}
