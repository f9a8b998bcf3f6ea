using Actors.Agent.Options;
using Actors.Agent.Supervision;
using Actors.TestInfrastructure;
using static Actors.Agent.Tests.TestSupport;

namespace Actors.Agent.Tests;

/// <summary>The supervisor with small real processes (sh, sleep, a python listener): order, readiness, restarts, give-up.</summary>
public sealed class ProcessSupervisorTests : IDisposable
{
    private readonly TempDirectory _directory = TempDirectory.Create("agent-supervisor");

    public void Dispose() => _directory.Dispose();

    private AgentOptions Options(params ProcessOptions[] processes)
    {
        var options = new AgentOptions { Machine = "testbox", LogDirectory = _directory.Combine("logs") };
        options.Processes.AddRange(processes);
        return options;
    }

    [Fact]
    public async Task StartAll_ProcessesInOrder_EachStartsOnlyOnceTheOneBeforeIsReady_SetupBetweenGroups()
    {
        var port = FreePort.Allocate();
        var marker = _directory.Combine("setup-done");
        var options = Options(
            Shell("slow-listener", Listener(port, delaySeconds: 1), port.ToString(System.Globalization.CultureInfo.InvariantCulture), group: "first"),
            Shell("after", $"[ -e '{marker}' ] || exit 9; exec sleep 600", group: "second"));
        options.Setups.Add(new SetupOptions { Name = "make-marker", AfterGroup = "first", Shell = $"echo creating; touch '{marker}'", Creates = marker });
        var (supervisor, console) = Supervisor(options);
        await using var _ = supervisor;

        (await supervisor.StartAllAsync(TestContext.Current.CancellationToken)).Should().BeTrue(console.ToString());

        var slow = supervisor.Find("slow-listener")!;
        var after = supervisor.Find("after")!;
        slow.State.Should().Be(ProcessState.Running);
        after.State.Should().Be(ProcessState.Running);
        (slow.ReadyAt!.Value - slow.StartedAt!.Value).Should().BeGreaterThan(TimeSpan.FromSeconds(0.9), "the listener opens its port after 1 s");
        after.StartedAt.Should().BeOnOrAfter(slow.ReadyAt.Value, "the next process starts only once the one before is ready");
        after.Starts.Should().HaveCount(1, "the setup ran before it, so it found the marker and did not crash");
        console.ToString().Should().Contain("slow-listener ready (").And.Contain("creating").And.Contain("make-marker done");
    }

    [Fact]
    public async Task ReadyLogText_ReadyOnlyOnceThisRunLogsIt_NotAnEarlierRun()
    {
        var marker = _directory.Combine("ran-before");
        // The first run says it at once; a later run only after a second.
        var process = Shell("host", $"if [ -e '{marker}' ]; then sleep 1; else touch '{marker}'; fi; echo 'Application started.'; exec sleep 600");
        process.ReadyLogText = "Application started.";
        var (supervisor, _) = Supervisor(Options(process));
        await using var _ = supervisor;
        (await supervisor.StartAllAsync(TestContext.Current.CancellationToken)).Should().BeTrue();
        var first = supervisor.Find("host")!;
        Signal(first.Pid!.Value, 9);
        await EventuallyAsync(() => supervisor.Find("host"), p => p.Starts.Count == 2, "restarted");

        var again = await EventuallyAsync(() => supervisor.Find("host"), p => p.State == ProcessState.Running, "ready again");

        (first.ReadyAt!.Value - first.StartedAt!.Value).Should().BeLessThan(TimeSpan.FromSeconds(0.9));
        (again.ReadyAt!.Value - again.StartedAt!.Value).Should().BeGreaterThan(TimeSpan.FromSeconds(0.9), "the first run's line in the same log does not count");
    }

    [Fact]
    public async Task SigKill_RestartsIt_WithBackoffDoublingFromOneSecond()
    {
        var (supervisor, console) = Supervisor(Options(Shell("victim", "exec sleep 600")));
        await using var _ = supervisor;
        (await supervisor.StartAllAsync(TestContext.Current.CancellationToken)).Should().BeTrue();

        var gaps = new List<TimeSpan>();
        for (var crash = 1; crash <= 3; crash++)
        {
            var before = supervisor.Find("victim")!;
            var killedAt = DateTimeOffset.UtcNow;
            Signal(before.Pid!.Value, 9);
            var after = await EventuallyAsync(() => supervisor.Find("victim"), p => p.State == ProcessState.Running && p.Starts.Count == crash + 1, $"restart {crash}");
            gaps.Add(after.Starts[^1] - killedAt);
            after.Restarts.Should().Be(crash);
            after.Pid.Should().NotBe(before.Pid);
            Alive(before.Pid!.Value).Should().BeFalse();
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"restart delays after SIGKILL: {string.Join(", ", gaps.Select(g => g.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " s"))}");
        gaps[0].Should().BeCloseTo(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));
        gaps[1].Should().BeCloseTo(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500));
        gaps[2].Should().BeCloseTo(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(500));
        console.ToString().Should().Contain("victim (pid").And.Contain("was killed by SIGKILL; restarting it in 1.0 s").And.Contain("restarting it in 2.0 s");
    }

    [Fact]
    public async Task CrashLoop_GivenUpAfterFiveCrashes_WithTheReason_RestartRevivesIt()
    {
        var ok = _directory.Combine("ok");
        var options = Options(Shell("crasher", $"[ -e '{ok}' ] && exec sleep 600; echo 'cannot start: no ok file'; exit 3"));
        options.FirstRestartDelay = TimeSpan.FromMilliseconds(100);
        var (supervisor, console) = Supervisor(options);
        await using var _ = supervisor;
        (await supervisor.StartAllAsync(TestContext.Current.CancellationToken)).Should().BeTrue("a process without a ready check is ready once started");

        var givenUp = await EventuallyAsync(() => supervisor.Find("crasher"), p => p.State == ProcessState.GivenUp, "given up");
        givenUp.Starts.Should().HaveCount(5, "five crashes within the window, then no more starts");
        givenUp.Reason.Should().Contain("exited with code 3").And.Contain("5 crashes within 60 s").And.Contain("restart crasher");
        givenUp.Pid.Should().BeNull();
        console.ToString().Should().Contain("cannot start: no ok file", "the log's tail is shown when it is given up on");
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        supervisor.Find("crasher")!.Starts.Should().HaveCount(5);

        await File.WriteAllTextAsync(ok, "", TestContext.Current.CancellationToken);
        var reply = await supervisor.RestartAsync("crasher", "operator@localhost", TestContext.Current.CancellationToken);

        reply.Should().Contain("crasher restarted").And.Contain("was given up");
        var revived = supervisor.Find("crasher")!;
        revived.State.Should().Be(ProcessState.Running);
        revived.Starts.Should().HaveCount(6);
        Alive(revived.Pid!.Value).Should().BeTrue();
    }

    [Fact]
    public async Task ExitZero_LeftOnPurpose_IsNotRestarted()
    {
        var (supervisor, console) = Supervisor(Options(Shell("drained", "sleep 0.3; exit 0"), Shell("other", "exec sleep 600")));
        await using var _ = supervisor;
        (await supervisor.StartAllAsync(TestContext.Current.CancellationToken)).Should().BeTrue();

        await EventuallyAsync(() => supervisor.Find("drained"), p => p.State == ProcessState.Exited, "exited");
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        var drained = supervisor.Find("drained")!;
        drained.State.Should().Be(ProcessState.Exited);
        drained.Starts.Should().HaveCount(1);
        supervisor.Find("other")!.State.Should().Be(ProcessState.Running, "a sibling is never touched");
        console.ToString().Should().Contain("drained (pid").And.Contain("exited 0: it left on purpose");
    }

    [Fact]
    public async Task UnknownProcess_Restart_NamesTheProcesses()
    {
        var (supervisor, _) = Supervisor(Options(Shell("one", "exec sleep 600")));
        await using var __ = supervisor;
        (await supervisor.StartAllAsync(TestContext.Current.CancellationToken)).Should().BeTrue();

        (await supervisor.RestartAsync("nope", "operator@localhost", TestContext.Current.CancellationToken)).Should().Be("No process 'nope' here. Processes: one.");
    }

    [Fact]
    public async Task StartAll_ProcessThatNeverGetsReady_FailsWithItsLogTail()
    {
        var port = FreePort.Allocate();
        var process = Shell("never", "echo 'listening soon, promise'; exec sleep 600", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        process.ReadyTimeout = TimeSpan.FromSeconds(1);
        var (supervisor, console) = Supervisor(Options(process, Shell("not-reached", "exec sleep 600")));
        await using var _ = supervisor;

        (await supervisor.StartAllAsync(TestContext.Current.CancellationToken)).Should().BeFalse();

        console.ToString().Should().Contain($"never did not start: it was not ready within 1.0 s (waiting for port {port} open)").And.Contain("listening soon, promise");
        supervisor.Find("not-reached")!.State.Should().Be(ProcessState.Pending);
    }
}
