using System.Diagnostics;
using System.Globalization;
using System.Text;
using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure.Redis;

/// <summary>What a cluster node is right now, by its own account (<c>INFO replication</c>).</summary>
public enum RedisClusterRole
{
    /// <summary><c>role:master</c>.</summary>
    Primary,

    /// <summary><c>role:slave</c>.</summary>
    Replica,
}

/// <summary>
/// One redis-server of a <see cref="RedisClusterServer"/>: a foreground process on 127.0.0.1 with its own port,
/// cluster bus port and directory (<c>redis.conf</c>, <c>nodes.conf</c>, <c>appendonlydir/</c>). It can be killed,
/// frozen, stopped and started again on the same port and directory, where it rejoins the cluster by itself.
/// </summary>
/// <remarks>Owned by its <see cref="RedisClusterServer"/>, which disposes it.</remarks>
public sealed class RedisClusterNode : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    private readonly RedisClusterOptions _options;
    private readonly string _executable;
    private ManagedProcess? _process;

    internal RedisClusterNode(RedisClusterOptions options, string executable, int index, int port, int busPort, string directory)
    {
        _options = options;
        _executable = executable;
        Index = index;
        Port = port;
        BusPort = busPort;
        DataDirectory = directory;
    }

    /// <summary>Position in <see cref="RedisClusterServer.Nodes"/> (0-based). Says nothing about the role: pairing is random.</summary>
    public int Index { get; }

    /// <summary>Client port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Cluster bus port on 127.0.0.1 (<c>cluster-port</c>; a free port of its own, not Port + 10000).</summary>
    public int BusPort { get; }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>The node's directory: redis.conf, nodes.conf and the AOF.</summary>
    public string DataDirectory { get; }

    /// <summary>The cluster node id (<c>CLUSTER MYID</c>), read at each start; it survives restarts (nodes.conf). Null before the first start.</summary>
    public string? NodeId { get; private set; }

    /// <summary>The running redis-server, or null before the first start.</summary>
    public ManagedProcess? Process => _process;

    /// <summary>The process is alive (it may be paused).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Frozen by <see cref="Pause"/> and not resumed yet.</summary>
    public bool IsPaused => _process is { HasExited: false, IsPaused: true };

    /// <summary>How long the last <see cref="StartAsync"/> took until PING answered.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>
    /// Starts redis-server (again) on the same port and directory and waits until it answers PING. A node that was in
    /// the cluster reloads nodes.conf and rejoins by itself, possibly as a replica of whoever replaced it; use
    /// <see cref="RedisClusterServer.WaitForHealthyAsync"/> to wait until it is back in sync.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"Redis cluster node {Port} is already running.");
        }

        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
        }

        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "redis.conf"), Config(), cancellationToken).ConfigureAwait(false);
        var stopwatch = Stopwatch.StartNew();
        _process = ManagedProcess.Start(_executable, ["./redis.conf"], workingDirectory: DataDirectory);
        await RedisReadiness.WaitForPongAsync(_process, Port, null, null, "redis-server (cluster node)", _options.StartTimeout, cancellationToken).ConfigureAwait(false);
        NodeId = await ExecuteAsync(["CLUSTER", "MYID"], cancellationToken).ConfigureAwait(false);
        LastStartDuration = stopwatch.Elapsed;
    }

    /// <summary>Stops gracefully (SIGTERM; a paused node is resumed first), killing it after the stop timeout.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not null)
        {
            await _process.StopAsync(_options.StopTimeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills redis-server with SIGKILL, as a crash would (up to a second of AOF writes may be lost).</summary>
    public void Kill() => _process?.Kill();

    /// <summary>
    /// Freezes the node with SIGSTOP: its sockets stay open but it answers nothing, like a hung machine. After
    /// <see cref="RedisClusterOptions.NodeTimeout"/> the others flag it as failing and, for a primary, promote its replica.
    /// </summary>
    public void Pause() => (_process ?? throw new InvalidOperationException($"Redis cluster node {Port} was never started.")).Pause();

    /// <summary>Lets a paused node run again (SIGCONT). A primary that was replaced meanwhile turns itself into a replica.</summary>
    public void Resume() => _process?.Resume();

    /// <summary>Sends one command to this node (no redirection: a key served elsewhere answers with a MOVED error).</summary>
    /// <returns>The reply as <see cref="RespClient.ExecuteAsync"/> returns it.</returns>
    public Task<string?> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default)
        => RespClient.ExecuteAsync(Port, command, CommandTimeout, cancellationToken);

    /// <summary>The cluster as this node sees it (<c>CLUSTER NODES</c>).</summary>
    public async Task<RedisClusterTopology> GetTopologyAsync(CancellationToken cancellationToken = default)
        => RedisClusterTopology.Parse(Port, await ExecuteAsync(["CLUSTER", "NODES"], cancellationToken).ConfigureAwait(false) ?? string.Empty);

    /// <summary>The <c>key:value</c> lines of <c>INFO <paramref name="section"/></c> (or of <c>CLUSTER INFO</c> for "cluster-info").</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetInfoAsync(string section, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> command = section == "cluster-info" ? ["CLUSTER", "INFO"] : ["INFO", section];
        var text = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false) ?? string.Empty;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                result[line[..colon]] = line[(colon + 1)..];
            }
        }

        return result;
    }

    /// <summary>The node's own idea of its role, live (<c>INFO replication</c>).</summary>
    public async Task<RedisClusterRole> GetRoleAsync(CancellationToken cancellationToken = default)
        => (await GetInfoAsync("replication", cancellationToken).ConfigureAwait(false)).GetValueOrDefault("role") switch
        {
            "master" => RedisClusterRole.Primary,
            "slave" => RedisClusterRole.Replica,
            var other => throw new InvalidOperationException($"Redis cluster node {Port} reported role '{other}'."),
        };

    /// <summary>Stops the node (the server deletes the directory).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(_options.StopTimeout).ConfigureAwait(false);
            await _process.DisposeAsync().ConfigureAwait(false);
            // A disposed Process object throws on every question; a removed node is simply not running.
            _process = null;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"node {Port}{(NodeId is null ? string.Empty : $" ({NodeId[..8]})")}";

    /// <summary>The last <paramref name="lines"/> lines the node logged, for error messages.</summary>
    internal string DescribeRecent(int lines = 15)
    {
        if (_process is null)
        {
            return $"{this}: never started.";
        }

        var output = _process.RecentOutput.Split('\n');
        var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : _process.IsPaused ? "paused" : "running";
        return $"{this} (pid {_process.Pid}) {state}; last output:\n  {string.Join("\n  ", output.TakeLast(lines))}";
    }

    private string Config()
    {
        // Read by redis-server from the node's directory; nodes.conf is relative to `dir`.
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"port {Port}")
            .AppendLine(CultureInfo.InvariantCulture, $"cluster-port {BusPort}")
            .AppendLine("bind 127.0.0.1")
            .AppendLine("daemonize no")
            .AppendLine("logfile \"\"")
            .AppendLine(CultureInfo.InvariantCulture, $"dir \"{DataDirectory}\"")
            .AppendLine("cluster-enabled yes")
            .AppendLine("cluster-config-file nodes.conf")
            .AppendLine(CultureInfo.InvariantCulture, $"cluster-node-timeout {(long)_options.NodeTimeout.TotalMilliseconds}")
            // Slots of a healthy primary keep being served while another primary's slots are unserved.
            .AppendLine("cluster-require-full-coverage no")
            .AppendLine(CultureInfo.InvariantCulture, $"appendonly {(_options.AppendOnly ? "yes" : "no")}")
            .AppendLine("appendfsync everysec")
            .AppendLine("save \"\"")
            // The default 5 s delay would hold up every full resync of a rejoining node.
            .AppendLine("repl-diskless-sync-delay 0");
        foreach (var (key, value) in _options.ExtraConfig)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"{key} {value}");
        }

        return config.ToString();
    }
}
