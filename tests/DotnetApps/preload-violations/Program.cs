// An ASP.NET Core app that, on request (violation=...), does before app.Run() one of the things a preloaded
// app must not do before fork, or hangs in its start. Without it, it is a plain app answering "pid N" (the pid of
// the worker that served).
using System.Runtime.InteropServices;

var builder = WebApplication.CreateBuilder(args);
string violation = builder.Configuration["violation"] ?? "none";
if (violation == "hang-at-start")
{
    // Harmless in the base (the host never starts there); every worker hangs in its start, never ready.
    builder.Services.AddHostedService<HangingStart>();
}

var app = builder.Build();

switch (violation)
{
    case "thread":
        new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true, Name = "index-refresher" }.Start();
        break;
    case "timer":
        GC.KeepAlive(new Timer(_ => { }, null, TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
        break;
    case "threadpool":
        Task.Run(() => 42).Wait();
        break;
    case "console-logging":
        LoggerFactory.Create(logging => logging.AddConsole()).CreateLogger("startup").LogInformation("starting");
        break;
}

app.MapGet("/", () => $"pid {getpid()}\n");
app.Run();

[DllImport("libc")]
static extern int getpid();

sealed class HangingStart : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Thread.Sleep(Timeout.Infinite);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
