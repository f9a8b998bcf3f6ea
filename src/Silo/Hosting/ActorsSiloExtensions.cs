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
using Orleans.Dashboard;

namespace Actors.Silo.Hosting;

/// <summary><c>AddActorsSilo()</c>: turns a host into an Actors silo configured from the <c>Actors</c> configuration section.</summary>
public static class ActorsSiloExtensions
{
    /// <summary>The grain storage provider name root grains persist to.</summary>
    public const string StorageName = "roots";

    /// <summary>
    /// Adds an Orleans silo hosting the root grains. With <c>Actors:Redis</c> set, membership and grain state live in
    /// Redis and any number of silos form one cluster; without it the silo runs alone with in-memory storage
    /// (the embedded default) and says so loudly at startup. The roots' grain storage follows the same rule unless
    /// <c>Actors:Storage:Provider</c> names another (<see cref="RootStorageSiloBuilderExtensions"/>).
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="configureSilo">Extra silo configuration (the XMPP bridge, tests), applied last.</param>
    public static IHostApplicationBuilder AddActorsSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        // Every setting is registered the same way: bound from its section, checked by its validator when the host
        // starts. The cluster, endpoints, failure detection and storage choice are also needed now, to configure Orleans;
        // those are bound here too and checked by the same validators, so a bad value stops the silo before it starts.
        services.AddOptions<ActorsClusterOptions>().BindConfiguration(ActorsClusterOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ActorsClusterOptions>, ActorsClusterOptionsValidator>();
        services.AddOptions<SiloEndpointOptions>().BindConfiguration(SiloEndpointOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiloEndpointOptions>, SiloEndpointOptionsValidator>();
        services.AddOptions<FailureDetectionOptions>().BindConfiguration(FailureDetectionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FailureDetectionOptions>, FailureDetectionOptionsValidator>();
        services.AddOptions<RootStorageOptions>().BindConfiguration(RootStorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RootStorageOptions>, RootStorageOptionsValidator>();
        services.AddOptions<RootGrainOptions>().BindConfiguration(RootGrainOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RootGrainOptions>, RootGrainOptionsValidator>();

        var cluster = configuration.BindValidated(ActorsClusterOptions.SectionName, new ActorsClusterOptionsValidator());
        var endpoint = configuration.BindValidated(SiloEndpointOptions.SectionName, new SiloEndpointOptionsValidator());
        var failureDetection = configuration.BindValidated(FailureDetectionOptions.SectionName, new FailureDetectionOptionsValidator());
        var storage = configuration.BindValidated(
            RootStorageOptions.SectionName, new RootStorageOptionsValidator(Microsoft.Extensions.Options.Options.Create(cluster)));

        // Metrics and traces (docs/observability.md): the shared defaults, Orleans' grain calls as spans.
        var telemetry = builder.AddActorsTelemetry("actors-silo");
        var dashboard = configuration.GetValue(ActorsTelemetry.DashboardEnabledSetting, true);

        services.AddHostedService<StartupBanner>();
        // Give Orleans time to hand grains over and the bridge time to say goodbye on SIGTERM / Ctrl-C.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = endpoint.EffectiveName);
            silo.Services.AddActorsGrainCallExceptions();
            if (cluster.UsesRedis)
            {
                silo.UseRedisClustering(cluster.Redis!);
                // Listen on the advertised address only, unless told otherwise (an address behind NAT is not local).
                silo.ConfigureEndpoints(IPAddress.Parse(endpoint.AdvertisedAddress), endpoint.SiloPort, endpoint.GatewayPort, listenOnAnyHostAddress: endpoint.ListenOnAnyAddress);
            }
            else
            {
                silo.UseLocalhostClustering(endpoint.SiloPort, endpoint.GatewayPort);
            }
            if (cluster.Tls.Enabled)
            {
                var certificate = ClusterTls.LoadCertificate(cluster.Tls);
                var authorities = ClusterTls.LoadAuthorities(cluster.Tls);
                silo.UseTls(certificate, tls => ClusterTls.Configure(tls, certificate, authorities));
            }
            silo.AddActorsRootStorage(StorageName, storage, cluster);
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = failureDetection.ProbeTimeout;
                o.NumMissedProbesLimit = failureDetection.MissedProbesLimit;
                o.NumVotesForDeathDeclaration = failureDetection.VotesForDeathDeclaration;
                o.TableRefreshTimeout = failureDetection.TableRefreshTimeout;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
            });
            // Every silo is a Jabber client when Actors:Xmpp:Jid is configured (docs/xmpp-bridge.md); otherwise it says so once.
            silo.AddXmppBridge();
            silo.Services.AddSingleton<IHealthProbe, StorageHealthProbe>();
            if (telemetry is { Enabled: true, Traces: true })
            {
                silo.AddActivityPropagation();
            }
            if (dashboard)
            {
                // The data behind the gateway's /dashboard: every silo collects its own grain statistics.
                silo.AddDashboard();
            }
            configureSilo?.Invoke(silo);
        });
        return builder;
    }
}
