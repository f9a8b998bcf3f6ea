using Actors.TestInfrastructure.Xmpp;

namespace Actors.XmppBenchmarks;

/// <summary>
/// The XMPP server a benchmark runs through, chosen with <c>--server prosody|ejabberd</c> (issue 14: the same
/// benchmarks on both), and the process whose CPU counts as the server's.
/// </summary>
internal static class BenchServer
{
    /// <summary>Starts the chosen server: Prosody with the settings' extra config, or one ejabberd node.</summary>
    public static async Task<IXmppTestServer> StartAsync(BenchmarkSettings settings, XmppSecurity security, CancellationToken cancellationToken) =>
        settings.Server switch
        {
            "ejabberd" => await EjabberdServer.StartNewAsync(new EjabberdServerOptions { Security = security }, cancellationToken),
            _ => await ProsodyServer.StartNewAsync(new ProsodyServerOptions { Security = security, ExtraGlobalConfig = settings.ProsodyConfig }, cancellationToken),
        };

    /// <summary>
    /// The pid whose CPU time is the server's: Prosody's own process; for ejabberd the Erlang VM (<c>beam.smp</c>),
    /// which runs below the <c>ejabberdctl foreground</c> wrapper the fixture starts.
    /// </summary>
    public static int Pid(IXmppTestServer server) => server switch
    {
        ProsodyServer prosody => prosody.Process!.Pid,
        EjabberdServer ejabberd => CpuMeter.DescendantNamed(ejabberd.Process!.Pid, "beam.smp")
            ?? throw new InvalidOperationException($"No beam.smp below ejabberdctl (pid {ejabberd.Process!.Pid})."),
        _ => throw new ArgumentException($"No pid for a {server.Kind} server.", nameof(server)),
    };
}
