using System.Text.Json.Nodes;
using Actors.TestInfrastructure.Silos;

namespace Actors.Agent.Tests;

/// <summary>
/// The executables users run carry the runtime settings docs/configuration.md (".NET runtime settings") says they
/// ship with: idle thread-pool workers sleep instead of spinning (Directory.Build.targets, IdleThreadPoolWorkersSleep).
/// Read from the very builds the tests start: the silo and the gateway the agent supervises, and the agent itself.
/// </summary>
public sealed class ShippedRuntimeSettingsTests
{
    public static TheoryData<string> Executables() => new()
    {
        SiloProcess.LocateSiloAssembly(),
        GatewayProcess.LocateGatewayAssembly(),
        Path.Combine(AppContext.BaseDirectory, "Actors.Agent.dll"),
    };

    [Theory]
    [MemberData(nameof(Executables))]
    public void RuntimeConfig_IdleWorkersDoNotSpin(string assembly)
    {
        var path = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        File.Exists(path).Should().BeTrue($"{path} is written by the build");

        var limit = JsonNode.Parse(File.ReadAllText(path))?["runtimeOptions"]?["configProperties"]?["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"];

        limit.Should().NotBeNull($"{path} sets the spin limit");
        limit!.GetValue<int>().Should().Be(0, path);
    }
}
