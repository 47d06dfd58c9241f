using ForkServer.Abstractions;

namespace ForkServer.Kernel.Options;

/// <summary>The options the kernel itself understands, with their uWSGI names and aliases.</summary>
internal static class KernelOptions
{
    /// <summary>The kernel's declarations.</summary>
    public static IReadOnlyList<OptionDeclaration> All { get; } =
    [
        new("ini", OptionType.Path, "Read options from the [uwsgi] section of an ini file (file:section picks another section)", Repeatable: true),
        new("plugins", OptionType.Text, "Load plugins by name, comma-separated", Repeatable: true),
        new("plugins-dir", OptionType.Path, "Directory searched for plugins"),
        new("http-socket", OptionType.Text, "Serve HTTP on this address (host:port)"),
        new("processes", OptionType.Integer, "Number of worker processes"),
        new("master", OptionType.Flag, "Run a master process (accepted for uWSGI compatibility: there is always one)"),
        new("uid", OptionType.Text, "Switch to this user (name or id) after binding sockets"),
        new("gid", OptionType.Text, "Switch to this group (name or id) after binding sockets"),
        new("logto", OptionType.Path, "Write logs to this file instead of stderr"),
        new("chdir", OptionType.Path, "Change to this directory before loading applications"),
        new("listen", OptionType.Integer, "Backlog of listening sockets"),
        new("buffer-size", OptionType.Integer, "Largest request header accepted, in bytes"),
        new("limit-post", OptionType.Integer, "Largest request body accepted, in bytes"),
        new("reload-mercy", OptionType.Integer, "Seconds to wait for processes to stop on reload or shutdown before killing them"),
        new("worker-reload-mercy", OptionType.Integer, "Seconds to wait for a worker to stop on reload before killing it"),
        new("socket-timeout", OptionType.Integer, "Timeout of socket reads, writes and connects, in seconds"),
        new("heartbeat", OptionType.Integer, "Send the Emperor a heartbeat every this many seconds (0: never)"),
        new("fork-server", OptionType.Path, "After loading, serve fork requests from the Emperor on this unix socket"),
        new("emperor", OptionType.Text, "Run an Emperor watching this vassal directory or monitor spec", Repeatable: true),
    ];

    /// <summary>Adds the kernel's options and the uWSGI aliases of them to <paramref name="schema"/>.</summary>
    public static void Register(OptionSchema schema)
    {
        schema.Add(All, "kernel");
        schema.AddAlias("plugin", "plugins");
        schema.AddAlias("plugin-dir", "plugins-dir");
        schema.AddAlias("workers", "processes");
    }
}
