using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Actors.Benchmarks.Hosting;

/// <summary>
/// <c>hello</c>: the ASP.NET Core baseline of the gateway: the same WebApplication defaults and a minimal endpoint that
/// returns a constant. Started like the gateway (a process, <c>--urls</c>, Server GC as the Web SDK sets it).
/// </summary>
internal static class HelloMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/hello/{**rest}", () => TypedResults.Text("hello"));
        await app.RunAsync();
        return 0;
    }
}
