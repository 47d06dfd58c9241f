namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A standalone PSGI vassal of the real binary serving one test app (<c>tests/.../apps/</c>) on a free 127.0.0.1
/// port, in a scratch folder of its own; disposing it stops the vassal and removes the folder.
/// </summary>
internal sealed class ServingVassal : IDisposable
{
    private ServingVassal(TempDirectory directory, ForkServerProcess server, int port)
    {
        Directory = directory;
        Server = server;
        Port = port;
    }

    public TempDirectory Directory { get; }

    public ForkServerProcess Server { get; }

    public int Port { get; }

    /// <summary>Starts <paramref name="app"/> with <paramref name="processes"/> workers and returns once it serves.</summary>
    public static ServingVassal Start(string app, int processes)
    {
        var directory = new TempDirectory();
        string ini = directory.Write("app.ini", $"[uwsgi]\nplugins = psgi\nhttp-socket = 127.0.0.1:0\nprocesses = {processes}\npsgi = {RepositoryLayout.App(app)}\n");
        var (server, port) = ForkServerProcess.StartServing(directory.Path, "--ini", ini);
        return new ServingVassal(directory, server, port);
    }

    public void Dispose()
    {
        Server.Dispose();
        Directory.Dispose();
    }
}
