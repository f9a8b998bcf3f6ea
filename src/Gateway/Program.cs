using Actors.Gateway.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddActorsGateway();

var app = builder.Build();
app.MapActorsGateway();
app.Run();
