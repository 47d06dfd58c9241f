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
        new("http-socket", OptionType.Text, "Serve HTTP on this address (host:port, :port, a unix socket path or @abstract)"),
        new("socket", OptionType.Text, "Serve uWSGI's binary protocol (nginx uwsgi_pass) on this address (host:port, :port, a unix socket path or @abstract)"),
        new("processes", OptionType.Integer, "Number of worker processes"),
        new("uid", OptionType.Text, "Switch to this user (name or id) after binding sockets"),
        new("gid", OptionType.Text, "Switch to this group (name or id) after binding sockets"),
        new("logto", OptionType.Path, "Write logs to this file instead of stderr (reopened on SIGUSR2, for logrotate)"),
        new("log-level", OptionType.Text, "Least severe server line written: debug, info, warning or error (default info, or $FORKSERVER_LOG_LEVEL)"),
        new("log-reopen", OptionType.Flag, "Reopen the logto file on reload (accepted for uWSGI compatibility: a reload always does)"),
        new("disable-logging", OptionType.Flag, "Write no request log line"),
        new("log-format", OptionType.Text, "Request log line with uWSGI's %(variables) (default: uWSGI's line)"),
        new("log-x-forwarded-for", OptionType.Flag, "The request log's address is the X-Forwarded-For header when there is one"),
        new("log-date", OptionType.Text, "true, or a strftime format that dates server lines and %(ftime) (server lines are always dated)"),
        new("chdir", OptionType.Path, "Change to this directory before loading applications"),
        new("env", OptionType.Text, "Set an environment variable (NAME=value) before loading applications", Repeatable: true),
        new("unenv", OptionType.Text, "Remove an environment variable before loading applications", Repeatable: true),
        new("pidfile", OptionType.Path, "Write the master's pid to this file before dropping privileges"),
        new("pidfile2", OptionType.Path, "Write the master's pid to this file after dropping privileges"),
        new("vacuum", OptionType.Flag, "Remove the pidfiles when the vassal exits"),
        new("procname", OptionType.Text, "Process name (ps, /proc/<pid>/cmdline) of the master and the workers"),
        new("procname-master", OptionType.Text, "Process name of the master (procname otherwise)"),
        new("procname-prefix", OptionType.Text, "Put this before every process name"),
        new("procname-prefix-spaced", OptionType.Text, "Put this and a space before every process name"),
        new("procname-append", OptionType.Text, "Put this after every process name"),
        new("auto-procname", OptionType.Flag, "Name the processes 'forkserver master' and 'forkserver worker N'"),
        new("listen", OptionType.Integer, "Backlog of listening sockets"),
        new("buffer-size", OptionType.Integer, "Largest request header accepted, in bytes"),
        new("limit-post", OptionType.Integer, "Largest request body accepted, in bytes"),
        new("post-buffering", OptionType.Integer, "Request bodies larger than this many bytes are spooled to an unlinked file in $TMPDIR (default 65536; 0: every body)"),
        new("reload-mercy", OptionType.Integer, "Seconds to wait for processes to stop on reload or shutdown before killing them"),
        new("worker-reload-mercy", OptionType.Integer, "Seconds to wait for a worker to stop on reload before killing it"),
        new("socket-timeout", OptionType.Integer, "Timeout of socket reads, writes and connects, in seconds"),
        new("harakiri", OptionType.Integer, "Kill (SIGKILL) and respawn a worker stuck in one request for longer than this many seconds, logging its request line (0: never)"),
        new("harakiri-verbose", OptionType.Flag, "A harakiri also logs the worker's current system call and wchan"),
        new("max-requests", OptionType.Integer, "A worker that served this many requests finishes them, exits and is respawned at once (0: never)"),
        new("max-worker-lifetime", OptionType.Integer, "Replace a worker gracefully once it has run this many seconds (0: never)"),
        new("reload-on-rss", OptionType.Integer, "Replace a worker gracefully once its resident memory exceeds this many MB, checked every second (0: never)"),
        new("min-worker-lifetime", OptionType.Integer, "Seconds a worker runs at least before max-requests or reload-on-rss replace it (default 10)"),
        new("need-app", OptionType.Flag, "Exit with an error if the application does not load (accepted: ForkServer always does)"),
        new("lazy-apps", OptionType.Flag, "Load the application in each worker after its fork instead of once in the master (classic vassals)"),
        new("cheaper", OptionType.Integer, "Accepted for uWSGI compatibility and logged: every worker of processes always runs"),
        new("heartbeat", OptionType.Integer, "Send the Emperor a heartbeat every this many seconds (0: never)"),
        new("fork-server", OptionType.Path, "Be a fork-server base: after the early load, adopt vassals for the Emperor on this unix socket (@name: abstract)"),
        new("chmod-socket", OptionType.Text, "Octal mode of unix socket files: a vassal's (default: as the umask leaves it; bare: 666) and the fork-server socket (default 600)"),
        new("emperor-use-fork-server", OptionType.Path, "Adopt every vassal but the bases through this fork-server socket"),
        new("vassal-fork-base", OptionType.Text, "A vassal (instance name, e.g. perlbase.ini) spawned classically to serve as fork-server base", Repeatable: true),
        new("emperor", OptionType.Text, "Run an Emperor watching this vassal directory or glob (dir:// and glob:// accepted)", Repeatable: true),
        new("emperor-freq", OptionType.Integer, "Seconds between the Emperor's safety rescans (inotify reports changes at once)"),
        new("emperor-throttle", OptionType.Integer, "First respawn delay of a vassal that died before it was loyal, in ms (doubles each time)"),
        new("emperor-max-throttle", OptionType.Integer, "Ceiling of that respawn delay, in ms"),
        new("emperor-curse-tolerance", OptionType.Integer, "Seconds a cursed or stopped vassal may live before it gets SIGKILL"),
        new("emperor-required-heartbeat", OptionType.Integer, "Seconds without a heartbeat after which a vassal that sends them is killed"),
        new("emperor-ready-timeout", OptionType.Integer, "Seconds a vassal has to report ready after its start or reload before it is killed"),
        new("emperor-no-blacklist", OptionType.Flag, "Respawn failing vassals without growing delays"),
        new("emperor-graceful-shutdown", OptionType.Flag, "Stop vassals gracefully (byte 2) instead of brutally (byte 0)"),
        new("emperor-stats", OptionType.Text, "Serve the Emperor's stats as JSON on host:port or a unix socket path"),
        new("stats-http", OptionType.Flag, "Wrap the stats in an HTTP response"),
        new("emperor-wrapper", OptionType.Path, "Binary run for classic vassals instead of forkserver itself (e.g. /usr/bin/uwsgi)"),
    ];

    /// <summary>
    /// Adds the kernel's options, the uWSGI options accepted without effect (<see cref="UwsgiCompatibility"/>) and the
    /// uWSGI aliases to <paramref name="schema"/>.
    /// </summary>
    public static void Register(OptionSchema schema)
    {
        schema.Add(All, "kernel");
        UwsgiCompatibility.Register(schema);
        schema.AddAlias("plugin", "plugins");
        schema.AddAlias("plugin-dir", "plugins-dir");
        schema.AddAlias("workers", "processes");
        schema.AddAlias("logformat", "log-format");
        schema.AddAlias("emperor-stats-server", "emperor-stats");
        schema.AddAlias("fork-socket", "fork-server");
        schema.AddAlias("uwsgi-socket", "socket");
    }
}
