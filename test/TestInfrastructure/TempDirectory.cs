namespace Actors.TestInfrastructure;

/// <summary>A fresh directory under <see cref="Path.GetTempPath"/>, deleted with its contents on dispose.</summary>
/// <remarks>Directories still alive when the test host exits are deleted by a process-exit hook.</remarks>
public sealed class TempDirectory : IDisposable
{
    private int _disposed;

    private TempDirectory(string path)
    {
        Path = path;
    }

    /// <summary>Full path of the directory.</summary>
    public string Path { get; }

    /// <summary>Creates a new, empty directory named <c>actors-{prefix}-{random}</c>.</summary>
    public static TempDirectory Create(string prefix)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"actors-{prefix}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(path);
        var directory = new TempDirectory(path);
        ProcessExitCleanup.Register(directory);
        return directory;
    }

    /// <summary>Returns the full path of <paramref name="relative"/> inside this directory.</summary>
    public string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Deletes the directory and everything in it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ProcessExitCleanup.Unregister(this);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A server that just exited may still be closing files in it.
                Thread.Sleep(100);
            }
        }
    }
}
