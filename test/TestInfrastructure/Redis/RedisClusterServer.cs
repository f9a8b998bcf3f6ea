using System.Diagnostics;
using System.Globalization;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Redis;

/// <summary>
/// A real Redis Cluster on 127.0.0.1: <see cref="RedisClusterOptions.Primaries"/> primaries with
/// <see cref="RedisClusterOptions.ReplicasPerPrimary"/> replicas each (3 × 1 by default), every node a foreground
/// redis-server with AOF on, a free port, a free cluster bus port and its own directory under one temp directory.
/// </summary>
/// <remarks>
/// <para>Which replica follows which primary is decided by <c>redis-cli --cluster create</c> at random, and changes
/// with every failover: ask <see cref="GetPrimariesAsync"/>, <see cref="GetReplicasAsync"/> and
/// <see cref="PrimaryForKeyAsync"/>, which read the live <c>CLUSTER NODES</c>, instead of assuming an order.</para>
/// <para>The creator owns it: dispose stops every node, kills any leftover process and deletes the directory.</para>
/// </remarks>
public sealed partial class RedisClusterServer : ITestServer
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory;
    private readonly string _cli;
    private readonly string _server;

    // Replaced whole (never changed in place) when a shard is added or removed, so readers need no lock.
    private volatile RedisClusterNode[] _nodes;
    private bool _created;

    /// <summary>Allocates ports and directories; call <see cref="StartAsync"/> to start the nodes and create the cluster.</summary>
    public RedisClusterServer(RedisClusterOptions? options = null)
    {
        Options = options ?? new RedisClusterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Primaries, 1, "options.Primaries");
        ArgumentOutOfRangeException.ThrowIfNegative(Options.ReplicasPerPrimary, "options.ReplicasPerPrimary");
        _server = ExternalTool.Require("redis-server", "redis-server");
        _cli = ExternalTool.Require("redis-cli", "redis-tools");
        _directory = TempDirectory.Create("redis-cluster");
        var nodes = new RedisClusterNode[Options.NodeCount];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = NewNode(i);
        }

        _nodes = nodes;
    }

    /// <summary>The settings it was made with.</summary>
    public RedisClusterOptions Options { get; }

    /// <summary>Every node, in port allocation order (not by role: the pairing is random); the nodes of added shards last.</summary>
    public IReadOnlyList<RedisClusterNode> Nodes => _nodes;

    /// <summary>
    /// StackExchange.Redis-style connection string listing every node, <c>127.0.0.1:P1,127.0.0.1:P2,…</c>: the client
    /// finds the cluster from any of them and follows MOVED redirections.
    /// </summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.Endpoint));

    /// <summary>The directory holding one sub-directory per node, named by its port.</summary>
    public string DataDirectory => _directory.Path;

    /// <summary>How long the last <see cref="StartAsync"/> took until the cluster was healthy.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>Creates a cluster and starts it.</summary>
    public static Task<RedisClusterServer> StartNewAsync(RedisClusterOptions? options = null, CancellationToken cancellationToken = default)
        => TestServer.StartAsync(new RedisClusterServer(options), cancellationToken);

    /// <summary>
    /// Starts every node that is not running, creates the cluster the first time
    /// (<c>redis-cli --cluster create … --cluster-replicas R --cluster-yes</c>), and waits until it is healthy
    /// (<see cref="WaitForHealthyAsync"/>): every node reports <c>cluster_state:ok</c> and every replica is in sync.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(Options.StartTimeout);
        try
        {
            await Task.WhenAll(_nodes.Where(n => !n.IsRunning).Select(n => n.StartAsync(timeoutSource.Token))).ConfigureAwait(false);
            if (!_created)
            {
                await CreateAsync(timeoutSource.Token).ConfigureAwait(false);
                _created = true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The Redis cluster did not start within {Options.StartTimeout.TotalSeconds:0.#} s.\n{DescribeNodes()}");
        }

        await WaitForHealthyAsync(Options.StartTimeout - stopwatch.Elapsed, cancellationToken).ConfigureAwait(false);
        LastStartDuration = stopwatch.Elapsed;
    }

    /// <summary>Stops every node gracefully (in parallel), killing any that does not stop within the stop timeout.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
        => Task.WhenAll(_nodes.Select(n => n.StopAsync(cancellationToken)));

    /// <summary>
    /// The cluster as its running nodes see it now: <c>CLUSTER NODES</c> from every running, unpaused node, and of
    /// those views the most current one (<see cref="RedisClusterTopology.Freshness"/>), so a node that has not yet
    /// heard of a failover does not hide it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No node answered.</exception>
    public async Task<RedisClusterTopology> GetTopologyAsync(CancellationToken cancellationToken = default)
    {
        var views = await Task.WhenAll(Reachable().Select(async n =>
        {
            try
            {
                return RedisClusterTopology.Parse(
                    n.Port,
                    await RespClient.ExecuteAsync(n.Port, ["CLUSTER", "NODES"], ProbeTimeout, cancellationToken).ConfigureAwait(false) ?? string.Empty);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
            {
                return null;
            }
        })).ConfigureAwait(false);
        return views.Where(v => v is not null).MaxBy(v => v!.Freshness)
            ?? throw new InvalidOperationException($"No node of the Redis cluster answered CLUSTER NODES.\n{DescribeNodes()}");
    }

    /// <summary>
    /// The nodes serving slots now, by port (from <see cref="GetTopologyAsync"/>). Right after a primary is killed it is
    /// still listed until the others flag it as failing, about <see cref="RedisClusterOptions.NodeTimeout"/> later.
    /// </summary>
    public async Task<IReadOnlyList<RedisClusterNode>> GetPrimariesAsync(CancellationToken cancellationToken = default)
    {
        var topology = await GetTopologyAsync(cancellationToken).ConfigureAwait(false);
        return [.. topology.Primaries.Select(p => NodeAt(p.Port))];
    }

    /// <summary>The replicas of <paramref name="primary"/> now (from <see cref="GetTopologyAsync"/>), including failing ones, by port.</summary>
    public async Task<IReadOnlyList<RedisClusterNode>> GetReplicasAsync(RedisClusterNode primary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(primary);
        var topology = await GetTopologyAsync(cancellationToken).ConfigureAwait(false);
        var id = primary.NodeId ?? throw new InvalidOperationException($"{primary} was never started.");
        return [.. topology.ReplicasOf(id).Select(r => NodeAt(r.Port))];
    }

    /// <summary>The hash slot of <paramref name="key"/> (<c>CLUSTER KEYSLOT</c>; hash tags count).</summary>
    public async Task<int> GetKeySlotAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var node = Reachable().FirstOrDefault() ?? throw new InvalidOperationException($"No node of the Redis cluster is running.\n{DescribeNodes()}");
        var slot = await RespClient.ExecuteAsync(node.Port, ["CLUSTER", "KEYSLOT", key], ProbeTimeout, cancellationToken).ConfigureAwait(false);
        return int.Parse(slot ?? throw new InvalidOperationException("CLUSTER KEYSLOT answered nil."), CultureInfo.InvariantCulture);
    }

    /// <summary>The primary serving <paramref name="key"/>'s slot now (<c>CLUSTER KEYSLOT</c> + <see cref="GetTopologyAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">No node serves the slot (its primary and replicas are all down).</exception>
    public async Task<RedisClusterNode> PrimaryForKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        var slot = await GetKeySlotAsync(key, cancellationToken).ConfigureAwait(false);
        return await PrimaryForSlotAsync(slot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The primary serving <paramref name="slot"/> now.</summary>
    /// <exception cref="InvalidOperationException">No node serves the slot.</exception>
    public async Task<RedisClusterNode> PrimaryForSlotAsync(int slot, CancellationToken cancellationToken = default)
    {
        var topology = await GetTopologyAsync(cancellationToken).ConfigureAwait(false);
        var owner = topology.OwnerOf(slot)
            ?? throw new InvalidOperationException($"No node serves slot {slot}. As node {topology.ObserverPort} sees it:\n{topology}");
        return NodeAt(owner.Port);
    }

    /// <summary>The node listening on <paramref name="port"/>.</summary>
    public RedisClusterNode NodeAt(int port)
        => _nodes.FirstOrDefault(n => n.Port == port) ?? throw new InvalidOperationException($"No node of this cluster has port {port}.");

    /// <summary>
    /// Waits until the cluster is healthy as far as its running, unpaused nodes go: each one reports
    /// <c>cluster_state:ok</c> with all 16384 slots ok; all agree which node serves each slot, and every one of those
    /// is running; all agree on every running node's role (primary, or replica of which primary); none of them sees another running node as failing; and every running replica's link to its
    /// primary is up and not syncing. After a kill this waits for the failover; after a restart, for the rejoin and
    /// resync. A primary left without replica (its replica killed or promoted) does not make it unhealthy.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="RedisClusterOptions.HealthyTimeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How long it took.</returns>
    /// <exception cref="TimeoutException">Not healthy in time; the message lists what was still wrong and each node's last log lines.</exception>
    public async Task<TimeSpan> WaitForHealthyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? Options.HealthyTimeout;
        var stopwatch = Stopwatch.StartNew();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.FromMilliseconds(1));
        IReadOnlyList<string> problems = ["not checked yet"];
        try
        {
            while (true)
            {
                problems = await FindProblemsAsync(timeoutSource.Token).ConfigureAwait(false);
                if (problems.Count == 0)
                {
                    return stopwatch.Elapsed;
                }

                await Task.Delay(100, timeoutSource.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The Redis cluster was not healthy within {limit.TotalSeconds:0.#} s. Still wrong:\n  {string.Join("\n  ", problems)}\n{DescribeNodes()}");
        }
    }

    /// <summary>Stops every node and deletes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_nodes.Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
        finally
        {
            _directory.Dispose();
        }
    }

    private RedisClusterNode NewNode(int index)
    {
        var port = FreePort.Allocate();
        return new RedisClusterNode(Options, _server, index, port, FreePort.Allocate(), _directory.Combine(port.ToString(CultureInfo.InvariantCulture)));
    }

    private IEnumerable<RedisClusterNode> Reachable() => _nodes.Where(n => n.IsRunning && !n.IsPaused);

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        if (Options.Primaries < 3)
        {
            await CreateSmallAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Without --cluster-yes and without a terminal, create prints its plan, reads EOF and exits 0 having done nothing.
        var result = await ManagedProcess.RunAsync(
            _cli,
            ["--cluster", "create", .. _nodes.Select(n => n.Endpoint), "--cluster-replicas", Options.ReplicasPerPrimary.ToString(CultureInfo.InvariantCulture), "--cluster-yes"],
            CreateTimeout,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        result.EnsureSuccess("redis-cli --cluster create");
        if (!result.StandardOutput.Contains("All 16384 slots covered", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"redis-cli --cluster create did not report all 16384 slots covered.\nstdout:\n{result.StandardOutput}\nstderr:\n{result.StandardError}\n{DescribeNodes()}");
        }
    }

    /// <summary>
    /// <c>redis-cli --cluster create</c> refuses fewer than 3 primaries, so a smaller cluster (a benchmark's 1 × 1) is
    /// made by hand: the first nodes share the slots (<c>CLUSTER ADDSLOTSRANGE</c>), every node meets the first, and each
    /// remaining node replicates a primary in turn once it knows it.
    /// </summary>
    private async Task CreateSmallAsync(CancellationToken cancellationToken)
    {
        var nodes = _nodes;
        var primaries = nodes.Take(Options.Primaries).ToArray();
        var share = RedisClusterTopology.SlotCount / primaries.Length;
        for (var i = 0; i < primaries.Length; i++)
        {
            var last = i == primaries.Length - 1 ? RedisClusterTopology.SlotCount - 1 : ((i + 1) * share) - 1;
            await primaries[i].ExecuteAsync(["CLUSTER", "ADDSLOTSRANGE", (i * share).ToString(CultureInfo.InvariantCulture), last.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
            await primaries[i].ExecuteAsync(["CLUSTER", "SET-CONFIG-EPOCH", (i + 1).ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        foreach (var node in nodes.Skip(1))
        {
            await node.ExecuteAsync(["CLUSTER", "MEET", "127.0.0.1", nodes[0].Port.ToString(CultureInfo.InvariantCulture), nodes[0].BusPort.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        var replicas = nodes.Skip(primaries.Length).ToArray();
        for (var i = 0; i < replicas.Length; i++)
        {
            var primary = primaries[i % primaries.Length];
            // Until gossip has told the replica about its primary, REPLICATE answers "Unknown node".
            while (true)
            {
                try
                {
                    await replicas[i].ExecuteAsync(["CLUSTER", "REPLICATE", primary.NodeId!], cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (InvalidOperationException ex) when (ex.Message.Contains("Unknown node", StringComparison.OrdinalIgnoreCase))
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<IReadOnlyList<string>> FindProblemsAsync(CancellationToken cancellationToken)
    {
        var reachable = Reachable().ToArray();
        if (reachable.Length == 0)
        {
            return ["no node is running"];
        }

        var runningPorts = reachable.Select(n => n.Port).ToHashSet();
        var problems = new List<string>();
        string? firstOwners = null;
        string? firstRoles = null;
        foreach (var node in reachable)
        {
            try
            {
                var info = await node.GetInfoAsync("cluster-info", cancellationToken).ConfigureAwait(false);
                if (info.GetValueOrDefault("cluster_state") != "ok" || info.GetValueOrDefault("cluster_slots_ok") != "16384")
                {
                    problems.Add($"{node}: cluster_state:{info.GetValueOrDefault("cluster_state")}, cluster_slots_ok:{info.GetValueOrDefault("cluster_slots_ok")}");
                    continue;
                }

                var topology = await node.GetTopologyAsync(cancellationToken).ConfigureAwait(false);
                var owners = string.Join(' ', topology.Nodes.Where(n => n.IsPrimary && n.SlotCount > 0).OrderBy(n => n.Slots[0].First)
                    .Select(n => $"{n.Port}:{string.Join('+', n.Slots.Select(s => $"{s.First}-{s.Last}"))}"));
                firstOwners ??= owners;
                if (owners != firstOwners)
                {
                    problems.Add($"{node} sees slot owners {owners}, another node {firstOwners}");
                }

                // Gossip spreads a rejoined node's new role a moment after the node itself knows it.
                var roles = string.Join(' ', topology.Nodes.Where(n => runningPorts.Contains(n.Port)).OrderBy(n => n.Port)
                    .Select(n => n.IsReplica ? $"{n.Port}:replica-of-{n.PrimaryId?[..8]}" : $"{n.Port}:primary"));
                firstRoles ??= roles;
                if (roles != firstRoles)
                {
                    problems.Add($"{node} sees roles {roles}, another node {firstRoles}");
                }

                foreach (var owner in topology.Nodes.Where(n => n.IsPrimary && n.SlotCount > 0 && !runningPorts.Contains(n.Port)))
                {
                    problems.Add($"{node} sees slots served by {owner.Port}, which is not running");
                }

                foreach (var peer in topology.Nodes.Where(n => runningPorts.Contains(n.Port) && (n.IsFailing || !n.IsConnected || n.Flags.Contains("handshake"))))
                {
                    problems.Add($"{node} sees running node {peer.Port} as {string.Join(',', peer.Flags)} ({(peer.IsConnected ? "connected" : "disconnected")})");
                }

                var missing = runningPorts.Where(p => topology.Nodes.All(n => n.Port != p)).ToArray();
                if (missing.Length > 0)
                {
                    problems.Add($"{node} does not know running node(s) {string.Join(", ", missing)}");
                }

                var replication = await node.GetInfoAsync("replication", cancellationToken).ConfigureAwait(false);
                if (replication.GetValueOrDefault("role") == "slave"
                    && (replication.GetValueOrDefault("master_link_status") != "up" || replication.GetValueOrDefault("master_sync_in_progress") != "0"))
                {
                    problems.Add($"{node}: replica of {replication.GetValueOrDefault("master_port")}, link {replication.GetValueOrDefault("master_link_status")}, sync in progress {replication.GetValueOrDefault("master_sync_in_progress")}");
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException or FormatException)
            {
                problems.Add($"{node}: {ex.Message}");
            }
        }

        return problems;
    }

    private string DescribeNodes() => string.Join('\n', _nodes.Select(n => n.DescribeRecent()));
}
