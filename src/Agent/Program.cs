using Actors.Agent.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// The machine agent (docs/agent.md): `Actors.Agent --config agent.json` (or appsettings.json / Actors__Agent__… in the
// environment). Ctrl-C and SIGTERM stop every process in order, then the agent.
// appsettings.json (log levels) is read from beside the executable, not from wherever the agent was started.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var config = builder.Configuration["config"];
if (!string.IsNullOrEmpty(config))
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(config), optional: false, reloadOnChange: false);
}

builder.AddActorsAgent();
using var host = builder.Build();
await host.RunAsync();
return Environment.ExitCode;
