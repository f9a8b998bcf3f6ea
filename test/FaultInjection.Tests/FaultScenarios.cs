namespace Actors.FaultInjection.Tests;

/// <summary>
/// The scenarios of issue 5, and which of them run by default. <c>ACTORS_FAULTS=all</c> runs
/// every one; the default is a quick subset for CI. The choice changes the theory's data, so nothing is ever reported
/// as skipped.
/// </summary>
public static class FaultScenarios
{
    /// <summary>The variable that selects the whole suite.</summary>
    public const string Variable = "ACTORS_FAULTS";

    /// <summary>If set, every scenario run appends a JSON line with its figures to this file.</summary>
    public const string ReportVariable = "ACTORS_FAULTS_REPORT";

    public const string KillSilo = "1-kill-one-silo";
    public const string KillSiloNoHints = "1n-kill-one-silo-crash-hints-off";
    public const string KillTwoSilos = "2-kill-two-of-three-silos";
    public const string AddSilo = "4-start-fourth-silo";
    public const string DrainSilo = "3-drain-silo-over-xmpp";
    public const string RestartRedis = "5-restart-redis";
    public const string KillRedis = "5k-sigkill-redis";
    public const string RestartProsody = "6-restart-prosody";
    public const string KillGateway = "7-kill-gateway";

    private static readonly string[] Quick = [KillSilo, DrainSilo, RestartRedis, RestartProsody];
    private static readonly string[] All = [KillSilo, KillSiloNoHints, KillTwoSilos, DrainSilo, AddSilo, RestartRedis, KillRedis, RestartProsody, KillGateway];

    /// <summary>The scenarios this run executes.</summary>
    public static TheoryData<string> Selected()
    {
        var selection = Environment.GetEnvironmentVariable(Variable);
        var names = string.Equals(selection, "all", StringComparison.OrdinalIgnoreCase)
            ? All
            : string.IsNullOrWhiteSpace(selection)
                ? Quick
                : [.. selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(All.Contains)];
        return [.. names];
    }
}
