using Actors.Silo.Hosting;
using Microsoft.Extensions.Hosting;

// Entry point of a silo: configuration from appsettings.json, environment (Actors__…) and the command line
// (--Actors:Silo:SiloPort=11112). SIGTERM and Ctrl-C stop it gracefully, even while it is still starting.
var builder = Host.CreateApplicationBuilder(args);
builder.AddActorsSilo();
using var host = builder.Build();
await host.RunGracefullyAsync();
