using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Contracts.Hosting;

/// <summary><c>AddActorsClient()</c>: an Orleans client for the Actors cluster in one call.</summary>
public static class ActorsClientExtensions
{
    /// <summary>
    /// Adds an Orleans client connected to the Actors cluster described by the <c>Actors</c> configuration section
    /// (Redis membership when <see cref="ActorsClusterOptions.Redis"/> is set, else a silo on localhost), then lets
    /// <paramref name="configure"/> adjust the options. Resolve <see cref="IClusterClient"/> or <see cref="IGrainFactory"/>
    /// and call <see cref="RootGrainFactoryExtensions.GetRoot"/>. <paramref name="configureClient"/> adds to the Orleans
    /// client itself (the gateway: activity propagation, the dashboard).
    /// </summary>
    public static IHostApplicationBuilder AddActorsClient(
        this IHostApplicationBuilder builder, Action<ActorsClusterOptions>? configure = null, Action<IClientBuilder>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ActorsClusterOptions();
        builder.Configuration.GetSection(ActorsClusterOptions.SectionName).Bind(options);
        configure?.Invoke(options);
        // Needed now, for UseOrleansClient: checked before the host is built, with the validator silos use too.
        var validation = new ActorsClusterOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(ActorsClusterOptions), validation.Failures);
        }
        builder.Services.AddSingleton(options);
        builder.UseOrleansClient(client =>
        {
            ConfigureClient(client, options);
            configureClient?.Invoke(client);
        });
        return builder;
    }

    /// <summary>Configures an Orleans client builder for the Actors cluster; used by <see cref="AddActorsClient"/> and tests.</summary>
    public static IClientBuilder ConfigureClient(IClientBuilder client, ActorsClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        client.Services.AddActorsGrainCallExceptions();
        if (options.UsesRedis)
        {
            client.UseRedisClustering(options.Redis!);
            // Learn about joined and dead silos quickly, so requests stop going to a dead gateway within seconds.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        }
        else
        {
            client.UseLocalhostClustering(options.LocalGatewayPort, options.ServiceId, options.ClusterId);
        }
        if (options.Tls.Enabled)
        {
            var certificate = ClusterTls.LoadCertificate(options.Tls);
            var authorities = ClusterTls.LoadAuthorities(options.Tls);
            client.UseTls(certificate, tls => ClusterTls.Configure(tls, certificate, authorities));
        }
        // A call to a dead silo fails after this long instead of Orleans' default 30 s; writes are idempotent, so the caller retries.
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        return client;
    }
}
