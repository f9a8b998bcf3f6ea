using System.Diagnostics;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Xmpp;

/// <summary>
/// Real ejabberd nodes on 127.0.0.1 joined into one cluster (shared/SERVERS.md, "Two ejabberd nodes in one cluster"):
/// each node an <see cref="EjabberdServer"/> with its own free c2s port, temp directory, Mnesia spool and node name,
/// registered with epmd (a fixed distribution port cannot work for two nodes on one host) and serving one shared
/// self-signed certificate, so a client trusting <see cref="Certificate"/> can log in on any node. Accounts, rosters
/// and subscriptions live in Mnesia and are shared by every node.
/// </summary>
/// <remarks>
/// <para>Node 0 starts first; every other node runs <c>join_cluster</c> to it (which restarts ejabberd inside that
/// node's VM). A node that was killed or stopped is started again with <see cref="EjabberdServer.StartAsync"/> on its
/// own spool and rejoins by itself. Never stop every node and start only one: Mnesia's "last down, first up" makes the
/// first node wait for the others (SERVERS.md).</para>
/// <para>The creator owns it: dispose stops every node and deletes their directories.</para>
/// </remarks>
public sealed class EjabberdCluster : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly List<EjabberdServer> _nodes = [];

    private EjabberdCluster(TempDirectory directory) => _directory = directory;

    /// <summary>The nodes, node 0 first; each is an <see cref="IXmppTestServer"/> of its own (port, kill, restart).</summary>
    public IReadOnlyList<EjabberdServer> Nodes => _nodes;

    /// <summary>The certificate every node serves.</summary>
    public SelfSignedCertificate? Certificate { get; private set; }

    /// <summary>The XMPP domain every node serves.</summary>
    public string Domain => _nodes[0].Domain;

    /// <summary>How long starting and joining every node took.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>
    /// Starts <paramref name="nodes"/> nodes (2 by default) and joins them into one cluster; with
    /// <paramref name="adminApi"/> every node serves mod_http_api for <c>admin@localhost</c> (<see cref="EjabberdServerOptions.AdminApi"/>).
    /// </summary>
    public static async Task<EjabberdCluster> StartNewAsync(int nodes = 2, XmppSecurity security = XmppSecurity.StartTls, bool adminApi = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 2);
        var cluster = new EjabberdCluster(TempDirectory.Create("ejabberd-cluster"));
        try
        {
            await cluster.StartAsync(nodes, security, adminApi, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the account on the cluster (through node 0, or the first running node).</summary>
    public Task RegisterAsync(string user, string password, CancellationToken cancellationToken = default) =>
        RunningNode().RegisterAsync(user, password, cancellationToken);

    /// <summary>
    /// Runs an <c>ejabberdctl</c> command on a running node (e.g. <c>add_rosteritem</c>, <c>send_stanza</c> of
    /// mod_admin_extra) and fails with its output if it does not succeed.
    /// </summary>
    public async Task<string> RunCtlAsync(IEnumerable<string> command, CancellationToken cancellationToken = default)
    {
        var arguments = command.ToList();
        var result = await RunningNode().RunCtlAsync(arguments, cancellationToken).ConfigureAwait(false);
        result.EnsureSuccess("ejabberdctl " + string.Join(' ', arguments));
        return result.StandardOutput;
    }

    /// <summary>The node names <c>list_cluster</c> reports on <paramref name="node"/> (running nodes only).</summary>
    public async Task<IReadOnlyList<string>> ListClusterAsync(EjabberdServer node, CancellationToken cancellationToken = default)
    {
        var result = await node.RunCtlAsync(["list_cluster"], cancellationToken).ConfigureAwait(false);
        result.EnsureSuccess("ejabberdctl list_cluster");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Stops every node and deletes the directories.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            // In reverse, so node 0 — which the others joined — goes last.
            for (var i = _nodes.Count - 1; i >= 0; i--)
            {
                await _nodes[i].DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _directory.Dispose();
        }
    }

    private EjabberdServer RunningNode() =>
        _nodes.FirstOrDefault(n => n.Process is { HasExited: false }) ?? throw new InvalidOperationException("No ejabberd node of the cluster is running.");

    private async Task StartAsync(int count, XmppSecurity security, bool adminApi, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        if (security == XmppSecurity.StartTls)
        {
            Certificate = await SelfSignedCertificate.GenerateAsync(_directory.Path, "localhost", cancellationToken).ConfigureAwait(false);
            // Every node runs as the ejabberd user and reads the certificate and key from here.
            (await ManagedProcess.RunAsync(ExternalTool.Require("chown", "coreutils"), ["-R", "ejabberd:ejabberd", _directory.Path],
                TimeSpan.FromSeconds(10), cancellationToken: cancellationToken).ConfigureAwait(false)).EnsureSuccess("chown of the cluster's certificate");
        }

        var options = new EjabberdServerOptions { Security = security, UseEpmd = true, Certificate = Certificate, AdminApi = adminApi };
        for (var i = 0; i < count; i++)
        {
            _nodes.Add(new EjabberdServer(options));
        }

        // Starting together halves the wait (each start is mostly the Erlang VM's and Mnesia's own time).
        await Task.WhenAll(_nodes.Select(n => n.StartAsync(cancellationToken))).ConfigureAwait(false);
        foreach (var node in _nodes.Skip(1))
        {
            await JoinAsync(node, cancellationToken).ConfigureAwait(false);
        }

        StartDuration = stopwatch.Elapsed;
    }

    private async Task JoinAsync(EjabberdServer node, CancellationToken cancellationToken)
    {
        var first = _nodes[0];
        (await node.RunCtlAsync(["join_cluster", first.NodeName], cancellationToken).ConfigureAwait(false)).EnsureSuccess($"ejabberdctl join_cluster {first.NodeName} on {node.NodeName}");
        // join_cluster restarts ejabberd inside the joining VM: wait until both see each other and its c2s port is back.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var members = await ListClusterAsync(first, cancellationToken).ConfigureAwait(false);
            if (members.Contains(node.NodeName) && await PortOpenAsync(node.Port, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"{node.NodeName} did not join {first.NodeName} within 60 s (list_cluster: {string.Join(", ", members)}).\n{node.Process?.RecentOutput}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> PortOpenAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
