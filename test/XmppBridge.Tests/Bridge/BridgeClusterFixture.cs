using System.Globalization;
using Actors.Contracts.Hosting;
using Actors.Silo.Hosting;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Processes;
using Actors.TestInfrastructure.Redis;
using Actors.TestInfrastructure.Silos;
using Actors.TestInfrastructure.Xmpp;
using Actors.XmppBridge.Client.Stanzas;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.XmppBridge.Tests.Bridge;

/// <summary>
/// Real Redis, a real XMPP server (STARTTLS, self-signed certificate, a 5 s resumption window for clients other than
/// the silos), two in-process silos (silo-a, silo-b) sharing the account silo@localhost, an Orleans client, and
/// accounts for every role: ops (operator), app (writer), reader (reader), eve (watcher only: the default, same
/// domain). One subclass per server (<see cref="ProsodyBridgeClusterFixture"/>, <see cref="EjabberdBridgeClusterFixture"/>):
/// the bridge suite runs on both (issue 14), so the bridge is not shaped to one server.
/// </summary>
public abstract class BridgeClusterFixture : IAsyncLifetime
{
    public const string SiloUser = "silo";
    public static readonly string[] Users = [SiloUser, "solo", "ops", "app", "reader", "eve", "gateway"];

    private readonly List<IHost> _silos = [];

    public RedisServer Redis { get; private set; } = null!;

    /// <summary>The XMPP server every silo and test user logs in to.</summary>
    public IXmppTestServer Xmpp { get; private set; } = null!;

    public IHost Client { get; private set; } = null!;

    public IGrainFactory Grains => Client.Services.GetRequiredService<IClusterClient>();

    public string Domain => Xmpp.Domain;

    public Jid SiloA => SiloJid("silo-a");

    public Jid SiloB => SiloJid("silo-b");

    public static string PasswordOf(string user) => user + "-secret";

    public Jid SiloJid(string name) => Jid.Parse($"{SiloUser}@{Domain}/{name}");

    public async ValueTask InitializeAsync()
    {
        Redis = await RedisServer.StartNewAsync();
        Xmpp = await StartXmppServerAsync();
        foreach (var user in Users)
        {
            await Xmpp.RegisterAsync(user, PasswordOf(user));
        }

        _silos.Add(await StartSiloAsync("silo-a"));
        _silos.Add(await StartSiloAsync("silo-b"));

        var client = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        client.UseOrleansClient(c => ActorsClientExtensions.ConfigureClient(c, new ActorsClusterOptions { Redis = Redis.ConnectionString }));
        Client = client.Build();
        await Client.StartAsync();
    }

    /// <summary>The configuration every silo of this cluster gets (in process or as a process, as Actors__… variables).</summary>
    public Dictionary<string, string?> SiloSettings(string name) => new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Actors"] = "Information",
        ["Actors:Redis"] = Redis.ConnectionString,
        ["Actors:Silo:Name"] = name,
        ["Actors:Silo:SiloPort"] = FreePort.Allocate().ToString(CultureInfo.InvariantCulture),
        ["Actors:Silo:GatewayPort"] = FreePort.Allocate().ToString(CultureInfo.InvariantCulture),
        ["Actors:Xmpp:Jid"] = $"{SiloUser}@{Domain}",
        ["Actors:Xmpp:Password"] = PasswordOf(SiloUser),
        ["Actors:Xmpp:Host"] = Xmpp.Host,
        ["Actors:Xmpp:Port"] = Xmpp.Port.ToString(CultureInfo.InvariantCulture),
        ["Actors:Xmpp:TrustedCertificatePath"] = Xmpp.CertificatePath,
        ["Actors:Xmpp:Writers:0"] = $"app@{Domain}",
        ["Actors:Xmpp:Readers:0"] = $"reader@{Domain}",
        ["Actors:Xmpp:Operators:0"] = $"ops@{Domain}",
        ["Actors:Xmpp:MaxWriteBytes"] = "20000",
        ["Actors:Xmpp:StatisticsInterval"] = "00:00:02",
        ["Actors:Xmpp:HealthProbeInterval"] = "00:00:01",
    };

    /// <summary>Starts this fixture's XMPP server, ready for logins.</summary>
    protected abstract Task<IXmppTestServer> StartXmppServerAsync();

    /// <summary>
    /// Starts an in-process silo (AddActorsSilo, as Program.cs does) with the bridge configured; <paramref name="logging"/>
    /// adds a logger of the test's own (e.g. a FakeLogCollector).
    /// </summary>
    public async Task<IHost> StartSiloAsync(string name, IDictionary<string, string?>? overrides = null, Action<ILoggingBuilder>? logging = null)
    {
        var host = BuildSilo(name, overrides, logging);
        await host.StartAsync();
        await WaitForBridgeAsync(host);
        return host;
    }

    /// <summary>
    /// Builds, without starting, an in-process silo as <see cref="StartSiloAsync"/> does; <paramref name="services"/>
    /// adds services after the silo's (e.g. a hosted service of the application's own that starts after Orleans).
    /// </summary>
    public IHost BuildSilo(string name, IDictionary<string, string?>? overrides = null, Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = SiloSettings(name);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        logging?.Invoke(builder.Logging);
        builder.AddActorsSilo();
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>
    /// Waits until Orleans no longer counts the named silo as Active. Tests that SIGKILL a silo of this shared cluster
    /// call it before they end, so the next test never places a grain on a silo that is dead but not yet declared so.
    /// </summary>
    public async Task WaitUntilSiloGoneAsync(string siloName, CancellationToken cancellationToken = default)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (await IsActiveAsync(management, siloName))
        {
            await Task.Delay(250, deadline.Token);
        }
    }

    /// <summary>The statuses of every membership entry of the named silo, Dead ones included; a failed read is retried.</summary>
    public async Task<IReadOnlyList<SiloStatus>> MembershipStatusesAsync(string siloName)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return [.. (await management.GetDetailedHosts(onlyActive: false)).Where(h => h.SiloName == siloName).Select(h => h.Status)];
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException && attempt < 5)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task<bool> IsActiveAsync(IManagementGrain management, string siloName)
    {
        try
        {
            return (await management.GetDetailedHosts(onlyActive: true)).Any(h => h.SiloName == siloName);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // The management grain may have lived on the silo that was just killed; until the cluster declares it dead,
            // calls to it are rejected. Ask again on the next round, like any client would.
            return true;
        }
    }

    /// <summary>Waits until an in-process silo's bridge has its XMPP session (it connects in the background).</summary>
    public static async Task WaitForBridgeAsync(IHost silo, CancellationToken cancellationToken = default)
    {
        var bridge = silo.Services.GetRequiredService<Actors.XmppBridge.Bridge.XmppBridgeService>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (bridge.Client?.State != Actors.XmppBridge.Client.XmppConnectionState.Connected)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>Starts the real silo executable (src/Silo/Host's Actors.Silo.Host.dll) with the same settings as environment variables.</summary>
    public ManagedProcess StartSiloProcess(string name, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var environment = SiloSettings(name).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        environment["DOTNET_ENVIRONMENT"] = "Production";
        var executable = SiloProcess.LocateSiloAssembly();
        return ManagedProcess.Start("dotnet", [executable], workingDirectory: Path.GetDirectoryName(executable), environment: environment);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.StopAsync(TimeSpan.FromSeconds(30).ToCancellationToken());
            silo.Dispose();
        }

        if (Client is not null)
        {
            await Client.StopAsync();
            Client.Dispose();
        }

        await Xmpp.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

internal static class TimeSpanExtensions
{
    public static CancellationToken ToCancellationToken(this TimeSpan timeout) => new CancellationTokenSource(timeout).Token;
}

/// <summary>The bridge cluster on Prosody.</summary>
public sealed class ProsodyBridgeClusterFixture : BridgeClusterFixture
{
    protected override async Task<IXmppTestServer> StartXmppServerAsync() =>
        await ProsodyServer.StartNewAsync(new ProsodyServerOptions { SmacksHibernationTime = TimeSpan.FromSeconds(5) });
}

/// <summary>The bridge cluster on ejabberd (one node; its admin API as the silos' stale-presence repair would use it).</summary>
public sealed class EjabberdBridgeClusterFixture : BridgeClusterFixture
{
    protected override async Task<IXmppTestServer> StartXmppServerAsync() =>
        await EjabberdServer.StartNewAsync(new EjabberdServerOptions { StreamResumeTimeout = TimeSpan.FromSeconds(5) });
}

[CollectionDefinition(Name)]
public sealed class BridgeCluster : ICollectionFixture<ProsodyBridgeClusterFixture>
{
    public const string Name = "bridge cluster";
}

[CollectionDefinition(Name)]
public sealed class EjabberdBridgeCluster : ICollectionFixture<EjabberdBridgeClusterFixture>
{
    public const string Name = "bridge cluster on ejabberd";
}
