using System.Text;
using Actors.Contracts;
using Actors.Contracts.Hosting;
using Actors.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Persistence.Redis;
using Orleans.Serialization;
using StackExchange.Redis;

namespace Actors.Silo.Tests.Storage;

/// <summary>
/// What a storage failure carries across the grain boundary: gateways and clients load no Orleans.Persistence.Redis, so
/// an exception of it inside a <see cref="StorageUnavailableException"/> made the gateway answer 500 instead of 503.
/// </summary>
public sealed class StorageFailureUnitTests
{
    private static readonly RedisConnectionException Cause = new(ConnectionFailureType.SocketFailure, "No connection is active/available to service this operation");

    [Fact]
    public void Unavailable_FromOrleansRedisStorageException_CarriesItsRedisCause()
    {
        var failure = StorageFailure.Unavailable("Reading the old-layout state failed", new RedisStorageException("Failed to read", Cause));

        failure.InnerException.Should().BeSameAs(Cause);
        failure.Message.Should().Be("Reading the old-layout state failed");
    }

    [Fact]
    public void Unavailable_FromOrleansRedisStorageExceptionAlone_CarriesNoInnerException()
    {
        var failure = StorageFailure.Unavailable("Reading failed: Failed to read", new RedisStorageException("Failed to read"));

        failure.InnerException.Should().BeNull();
    }

    [Fact]
    public void Unavailable_FromStackExchangeRedis_KeepsTheWholeCause()
    {
        var timeout = new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent);

        StorageFailure.Unavailable("Writing failed", timeout).InnerException.Should().BeSameAs(timeout);
    }

    [Fact]
    public void Unavailable_FromRedisWithASocketCause_KeepsTheWholeChain()
    {
        var cause = new RedisConnectionException(ConnectionFailureType.SocketFailure, "Socket closed", new System.Net.Sockets.SocketException(104));

        StorageFailure.Unavailable("Writing failed", new RedisStorageException("Failed to write", cause)).InnerException.Should().BeSameAs(cause);
    }

    [Fact]
    public void Unavailable_Serialized_NamesNoTypeOfOrleansPersistenceRedis()
    {
        // The exception settings of silos and clients (GrainCallExceptions), under which RedisConnectionException crosses.
        using var services = new ServiceCollection().AddSerializer().AddActorsGrainCallExceptions().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var bytes = serializer.SerializeToArray<Exception>(StorageFailure.Unavailable("Reading failed", new RedisStorageException("Failed to read", Cause)));

        // Orleans writes the type name of each exception it serializes; a front end must be able to load every one.
        Encoding.UTF8.GetString(bytes).Should().NotContain("Orleans.Persistence.Redis").And.Contain(nameof(RedisConnectionException));
    }
}
