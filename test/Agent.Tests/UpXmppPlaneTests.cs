using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Actors.TestInfrastructure;
using Actors.TestInfrastructure.Processes;
using Actors.XmppBridge.Client;
using Actors.XmppBridge.Client.Options;
using Actors.XmppBridge.Client.Stanzas;
using static Actors.Agent.Tests.TestSupport;

namespace Actors.Agent.Tests;

/// <summary>
/// The XMPP plane of <c>./actors up</c> (issue 14): the script's own configuration (<c>./actors xmpp _agent-config</c>
/// writes exactly the epmd, the two ejabberd nodes and the cluster step that <c>up</c> hands the agent), run by the real
/// agent with the real ejabberd: the nodes join into one cluster, the accounts exist on both, a silo's account logs in
/// on either node, and SIGTERM to the agent leaves no Erlang VM or epmd of it behind.
/// </summary>
public sealed partial class UpXmppPlaneTests : IDisposable
{
    private readonly TempDirectory _directory = TempDirectory.Create("up-xmpp");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task EjabberdPlane_UnderTheAgent_JoinedWithEveryAccountAndNothingLeftAfterSigTerm()
    {
        var ct = TestContext.Current.CancellationToken;
        ExternalTool.Require("ejabberdctl", "ejabberd");
        var script = Path.Combine(RepositoryRoot(), "actors");
        var state = _directory.Path;
        var environment = new Dictionary<string, string?>
        {
            ["ACTORS_STATE_DIR"] = state,
            // Not 5222: a person's ./actors up may hold it.
            ["ACTORS_XMPP_PORT"] = FreePort.Allocate().ToString(CultureInfo.InvariantCulture),
        };
        (await ManagedProcess.RunAsync(script, ["xmpp", "_agent-config", "2"], TimeSpan.FromSeconds(60), environment: environment, cancellationToken: ct))
            .EnsureSuccess("./actors xmpp _agent-config 2");

        var (agent, output) = AgentProcessTests.StartAgent(Path.Combine(state, "agent.json"));
        using var _ = agent;
        try
        {
            await EventuallyAsync(() => string.Join('\n', output), text => text.Contains("All 3 processes are ready", StringComparison.Ordinal) || agent.HasExited,
                "the agent says epmd and both ejabberd nodes are ready and the cluster step is done", TimeSpan.FromMinutes(3));
            agent.HasExited.Should().BeFalse(string.Join('\n', output));
            string.Join('\n', output).Should().Contain("xmpp-cluster done");

            var ports = await File.ReadAllTextAsync(Path.Combine(state, "ejabberd", "ports.env"), ct);
            var c2s = PortList().Match(ports).Groups[1].Value.Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
            c2s.Should().HaveCount(2);
            foreach (var node in new[] { 1, 2 })
            {
                var members = await CtlAsync(state, node, ["list_cluster"], ct);
                members.Should().Contain("ejabberd1@localhost").And.Contain("ejabberd2@localhost", $"node {node} lists both nodes of the cluster");
                var users = (await CtlAsync(state, node, ["registered_users", "localhost"], ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                users.Should().Contain(["silo-1", "silo-2", "operator", "agent", "admin"], $"node {node} has every account up registers");
            }

            (await CtlAsync(state, 2, ["srg_get_members", "nodes", "localhost"], ct)).Should().Contain("silo-1@localhost").And.Contain("silo-2@localhost").And.Contain("agent@localhost").And.Contain("gateway@localhost");

            // The accounts file's password logs in on both nodes, over STARTTLS verified against the generated certificate.
            var password = File.ReadLines(Path.Combine(state, "ejabberd", "accounts")).Select(l => l.Split(' ')).Single(f => f[0] == "silo-1@localhost")[1];
            using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(state, "ejabberd", "certs", "localhost.crt"), ct));
            foreach (var port in c2s)
            {
                await using var client = new XmppClient(new XmppClientOptions
                {
                    Jid = Jid.Parse($"silo-1@localhost/test-{port.ToString(CultureInfo.InvariantCulture)}"),
                    Password = password,
                    Host = "127.0.0.1",
                    Port = port,
                    TrustedCertificate = certificate,
                });
                await client.ConnectAsync(ct);
            }

            Signal(agent.Id, 15);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(TimeSpan.FromSeconds(60));
            await agent.WaitForExitAsync(bounded.Token);
            agent.ExitCode.Should().Be(0);
            string.Join('\n', output).Should().Contain("Everything stopped; no process left.");
            // The Erlang VMs (their command line names the spool under the state directory) and the epmd of this
            // plane (its port is in ports.env) are gone, not only the shells the agent started.
            var epmd = Regex.Match(ports, @"ejabberd_epmd_port=(\d+)").Groups[1].Value;
            await EventuallyAsync(() => string.Join(", ", ProcessesMentioning(state, $"-port {epmd}").Select(Describe)), left => left.Length == 0,
                "no beam.smp or epmd of this plane left", TimeSpan.FromSeconds(10));
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }

            foreach (var pid in ProcessesMentioning(state, null))
            {
                Signal(pid, 9);
            }
        }
    }

    private static string Describe(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Replace('\0', ' ');
            return $"{pid.ToString(CultureInfo.InvariantCulture)} {commandLine[..Math.Min(80, commandLine.Length)]}";
        }
        catch (IOException)
        {
            return $"{pid.ToString(CultureInfo.InvariantCulture)} (gone)";
        }
    }

    private static async Task<string> CtlAsync(string state, int node, string[] command, CancellationToken ct)
    {
        var n = node.ToString(CultureInfo.InvariantCulture);
        var dir = Path.Combine(state, "ejabberd", "n" + n);
        var result = await ManagedProcess.RunAsync(ExternalTool.Require("ejabberdctl", "ejabberd"),
            ["--config", Path.Combine(dir, "ejabberd.yml"), "--ctl-config", Path.Combine(dir, "ejabberdctl.cfg"), .. command], TimeSpan.FromSeconds(30), cancellationToken: ct);
        result.EnsureSuccess("ejabberdctl " + string.Join(' ', command) + " on node " + n);
        return result.StandardOutput;
    }

    /// <summary>Pids of processes whose command line contains <paramref name="path"/> or <paramref name="other"/>.</summary>
    private static List<int> ProcessesMentioning(string path, string? other)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var state = File.ReadAllText(Path.Combine(dir, "stat"));
                var zombie = state[(state.LastIndexOf(')') + 2)..].StartsWith('Z');
                if (!zombie && (commandLine.Contains(path, StringComparison.Ordinal) || (other is not null && commandLine.Contains("epmd", StringComparison.Ordinal) && commandLine.Contains(other, StringComparison.Ordinal))))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return found;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "actors")) && File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No checkout (actors and Actors.sln) above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"ejabberd_ports=\(([0-9 ]+)\)")]
    private static partial Regex PortList();
}
