using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.Silo.Hosting;
using Actors.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Actors.Silo.Tests.Hosting;

/// <summary>What <c>AddActorsSilo</c> registers, checked on a built but never started host (no Redis needed).</summary>
public sealed class ActorsSiloExtensionsUnitTests
{
    [Fact]
    public void AddActorsSilo_NoRedis_RootsInMemory()
    {
        using var host = Build([]);

        host.Services.GetRequiredKeyedService<IGrainStorage>(ActorsSiloExtensions.StorageName).Should().BeOfType<MemoryGrainStorage>();
    }

    [Fact]
    public void AddActorsSilo_Redis_RootsInReplicatedRedisStorageReadingTheOldLayout()
    {
        using var host = Build(new() { ["Actors:Redis"] = "127.0.0.1:1,password=s3cret" });

        host.Services.GetRequiredKeyedService<IGrainStorage>(ActorsSiloExtensions.StorageName).Should().BeOfType<ReplicatedRedisGrainStorage>();
        var legacy = host.Services.GetRequiredService<IOptionsMonitor<RedisStorageOptions>>().Get(ActorsSiloExtensions.StorageName + "-legacy");
        legacy.ConfigurationOptions!.EndPoints.Should().ContainSingle().Which.ToString().Should().Be("127.0.0.1:1");
    }

    [Theory]
    [InlineData(null)] // the default: replies read on .NET's thread pool
    [InlineData("true")] // Actors:Storage:DedicatedRedisThreads: StackExchange.Redis' own pool
    public void AddActorsSilo_Redis_RepliesReadWhereDedicatedRedisThreadsSays(string? dedicated)
    {
        using var host = Build(new() { ["Actors:Redis"] = "127.0.0.1:1", ["Actors:Storage:DedicatedRedisThreads"] = dedicated });

        var storage = (ReplicatedRedisGrainStorage)host.Services.GetRequiredKeyedService<IGrainStorage>(ActorsSiloExtensions.StorageName);
        var expected = dedicated is null ? SocketManager.ThreadPool : SocketManager.Shared;
        storage.Configuration("writes").SocketManager.Should().BeSameAs(expected);
        storage.Configuration("reads").SocketManager.Should().BeSameAs(expected);
    }

    [Fact]
    public void AddActorsSilo_OrleansRedisProvider_RootsInRedisWithOrleansSerializerAndBackgroundReconnect()
    {
        using var host = Build(new() { ["Actors:Redis"] = "127.0.0.1:1,password=s3cret", ["Actors:Storage:Provider"] = "OrleansRedis" });

        var options = host.Services.GetRequiredService<IOptionsMonitor<RedisStorageOptions>>().Get(ActorsSiloExtensions.StorageName);
        options.ConfigurationOptions!.EndPoints.Should().ContainSingle().Which.ToString().Should().Be("127.0.0.1:1");
        options.ConfigurationOptions.Password.Should().Be("s3cret");
        options.ConfigurationOptions.AbortOnConnectFail.Should().BeFalse();
        options.GrainStorageSerializer.Should().BeOfType<OrleansGrainStorageSerializer>();
    }

    [Fact]
    public void AddActorsSilo_ProviderMemoryWithRedis_RootsInMemory()
    {
        using var host = Build(new() { ["Actors:Redis"] = "127.0.0.1:1", ["Actors:Storage:Provider"] = "memory" });

        host.Services.GetRequiredKeyedService<IGrainStorage>(ActorsSiloExtensions.StorageName).Should().BeOfType<MemoryGrainStorage>();
    }

    [Fact]
    public void AddActorsSilo_UnknownProvider_ThrowsNamingTheSettingAndTheChoices()
    {
        var act = () => Build(new() { ["Actors:Storage:Provider"] = "Cassandra" });

        act.Should().Throw<OptionsValidationException>().WithMessage("*Actors:Storage:Provider*'Cassandra'*Redis, OrleansRedis, Memory*");
    }

    [Fact]
    public void AddActorsSilo_RedisProviderWithoutConnectionString_ThrowsNamingBothSettings()
    {
        var act = () => Build(new() { ["Actors:Storage:Provider"] = "Redis" });

        act.Should().Throw<OptionsValidationException>().WithMessage("*Actors:Storage:Provider*Actors:Redis*");
    }

    [Fact]
    public void AddActorsSilo_EmptyClusterId_ThrowsNamingTheSetting()
    {
        var act = () => Build(new() { ["Actors:ClusterId"] = " " });

        act.Should().Throw<OptionsValidationException>().WithMessage("*Actors:ClusterId must not be empty*");
    }

    [Fact]
    public void AddActorsSilo_BadRootLimit_FailsWhenTheHostStarts()
    {
        using var host = Build(new() { ["Actors:Roots:WriteIdMemory"] = "10" });

        var act = () => host.Services.GetRequiredService<IOptions<Options.RootGrainOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*Actors:Roots:WriteIdMemory must be at least 1000*");
    }

    [Fact]
    public void AddActorsSilo_StorageFailureCausedByRedis_ReachesAClientAsTheTransientStorageFailure()
    {
        // A Redis primary dying mid-write: the storage's exception keeps StackExchange.Redis' as its cause. Orleans
        // refused to serialize that cause, so the gateway saw an internal error (500) instead of a retryable 503.
        using var silo = Build(new() { ["Actors:Redis"] = "127.0.0.1:1" });
        var clientBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        clientBuilder.AddActorsClient();
        using var client = clientBuilder.Build();
        // Its own cause as StackExchange.Redis raises it when a node restarts mid-command (the rolling-restart scenario).
        var failure = new StorageUnavailableException("Writing root x failed: socket closed",
            new RedisConnectionException(ConnectionFailureType.SocketClosed, "SocketClosed on 127.0.0.1:7001/Interactive",
                new Pipelines.Sockets.Unofficial.ConnectionResetException("Connection reset by peer")));

        var bytes = silo.Services.GetRequiredService<Serializer>().SerializeToArray<Exception>(failure);
        var received = client.Services.GetRequiredService<Serializer>().Deserialize<Exception>(bytes);

        received.Should().BeOfType<StorageUnavailableException>().Which.Message.Should().Be(failure.Message);
        received.InnerException!.Message.Should().Contain("SocketClosed on 127.0.0.1:7001");
        received.InnerException.InnerException!.Message.Should().Be("Connection reset by peer");
        TransientFailures.IsTransient(received).Should().BeTrue();
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddActorsSilo();
        return builder.Build();
    }
}
