using System.Globalization;

namespace Actors.Agent.Xmpp;

/// <summary>
/// The machine's CPU, memory and disk for the agent's presence, from Linux's /proc (nothing to install). CPU is the
/// share of non-idle time across all cores since the previous sample.
/// </summary>
internal sealed class MachineStatistics(string diskPath)
{
    private (long Busy, long Total)? _previous;

    /// <summary>CPU in percent since the last call (null on the first call or without /proc), memory in use and free disk in MiB.</summary>
    public (int? CpuPercent, long? MemoryMb, long? DiskFreeMb) Sample() => (Cpu(), Memory(), Disk());

    private int? Cpu()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal …" in clock ticks since boot.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            var total = fields.Take(Math.Min(fields.Length, 8)).Sum();
            var now = (Busy: total - idle, Total: total);
            var previous = _previous;
            _previous = now;
            if (previous is not { } p || now.Total <= p.Total)
            {
                return null;
            }

            return (int)Math.Round(100.0 * (now.Busy - p.Busy) / (now.Total - p.Total));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null;
        }
    }

    private static long? Memory()
    {
        try
        {
            long? total = null, available = null;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                {
                    if (parts[0] == "MemTotal:")
                    {
                        total = kb;
                    }
                    else if (parts[0] == "MemAvailable:")
                    {
                        available = kb;
                    }
                }
            }

            return total is { } t && available is { } a ? (t - a) / 1024 : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private long? Disk()
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(diskPath)).AvailableFreeSpace / (1024 * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
