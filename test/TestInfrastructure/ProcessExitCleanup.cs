using Actors.TestInfrastructure.Processes;

namespace Actors.TestInfrastructure;

/// <summary>
/// Last line of defence when the test host exits (normally or by SIGTERM) with fixtures
/// still alive: kills every started process tree and deletes every temp directory.
/// </summary>
internal static class ProcessExitCleanup
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<ManagedProcess> Processes = [];
    private static readonly HashSet<TempDirectory> Directories = [];

    static ProcessExitCleanup()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();
    }

    public static void Register(ManagedProcess process)
    {
        lock (Gate)
        {
            Processes.Add(process);
        }
    }

    public static void Unregister(ManagedProcess process)
    {
        lock (Gate)
        {
            Processes.Remove(process);
        }
    }

    public static void Register(TempDirectory directory)
    {
        lock (Gate)
        {
            Directories.Add(directory);
        }
    }

    public static void Unregister(TempDirectory directory)
    {
        lock (Gate)
        {
            Directories.Remove(directory);
        }
    }

    private static void RunAll()
    {
        ManagedProcess[] processes;
        TempDirectory[] directories;
        lock (Gate)
        {
            processes = [.. Processes];
            directories = [.. Directories];
        }

        foreach (var process in processes)
        {
            try
            {
                process.Kill();
            }
            catch (Exception)
            {
                // Best effort: the host is exiting and nobody can observe the failure.
            }
        }

        foreach (var directory in directories)
        {
            try
            {
                directory.Dispose();
            }
            catch (Exception)
            {
                // Best effort, as above.
            }
        }
    }
}
