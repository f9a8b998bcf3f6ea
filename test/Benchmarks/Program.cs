using Actors.Benchmarks.Charts;
using Actors.Benchmarks.E2e;
using Actors.Benchmarks.Hosting;
using Actors.Benchmarks.Micro;
using Actors.Benchmarks.Progress;

// Actors.Benchmarks — `dotnet run -c Release --project test/Benchmarks -- <mode> [options]`:
//   micro   BenchmarkDotNet over the hot code of a write (extra arguments go to BenchmarkDotNet)
//   e2e     starts Redis, silos, the gateway and baselines; measures every path next to its baseline (docs/performance.md)
//   storage replica-acknowledged writes on a Redis Cluster next to Orleans' own Redis provider on the same Redis
//   charts  PNG charts of the newest results/*.json into docs/images (throughput and p99 per path, recovery timelines)
//   telemetry the defaults' telemetry next to telemetry off, two setups side by side in one run (ratio, CPU per write)
//   query   query pages next to one ZRANGEBYLEX, writes with and without indexes, an index build next to a SCAN
//   silo    a silo (AddActorsSilo) that also hosts the baseline grains; the e2e driver starts these
//   hello   the ASP.NET minimal "hello" baseline; the e2e driver starts it
//   progress the "step k of N, about M min left" line for ./actors bench (--plan S,S,… --done K --elapsed S --what TEXT)
var mode = args.Length > 0 ? args[0] : "";
var rest = args.Skip(1).ToArray();
return mode switch
{
    "micro" => await MicroRunner.RunAsync(rest),
    "e2e" => await new E2eRunner(E2eOptions.Parse(rest)).RunAsync(),
    "storage" => await new StorageRunner(E2eOptions.Parse(rest)).RunAsync(),
    "telemetry" => await new TelemetryRunner(E2eOptions.Parse([.. rest.Where(a => a != "--dashboard-off")]), rest.Contains("--dashboard-off")).RunAsync(),
    "query" => await new QueryRunner(E2eOptions.Parse(rest), rest.Contains("--quick")).RunAsync(),
    "charts" => BenchmarkCharts.Run(rest),
    "silo" => await SiloMode.RunAsync(rest),
    "hello" => await HelloMode.RunAsync(rest),
    "progress" => BenchProgress.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Actors.Benchmarks micro [BenchmarkDotNet args] | e2e [--quick] [--duration S] [--reps N] [--profile] ... | storage [--quick] [--duration S] [--reps N] | telemetry [--dashboard-off] [--no-http] [--warmup S] [--duration S] [--reps N] [--profile] | query [--quick] [--duration S] [--reps N] | charts [--results DIR] [--out DIR] | silo | hello | progress --plan S,S,… --done K --elapsed S --what TEXT");
    return 2;
}
