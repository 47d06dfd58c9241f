using ForkServer.Kernel.Hosting;
using ForkServer.Abstractions;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Logging;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// The steps that take a vassal's process from its options to serving: the process's own options (log file, working
/// directory), the socket, then whom to run as. The
/// master (<see cref="VassalStartup"/>) runs them, and so does an adopted vassal's spare worker, which starts serving
/// before its master is ready: the same code, so the two cannot disagree on a socket or an identity. The master
/// logs its decisions; the worker follows them quietly.
/// </summary>
internal sealed class StartupSteps(KernelConfiguration configuration, VassalSettings settings, bool adopted)
{
    /// <summary>The vassal's options.</summary>
    public KernelConfiguration Configuration { get; } = configuration;

    /// <summary>The vassal's settings, read from <see cref="Configuration"/>.</summary>
    public VassalSettings Settings { get; } = settings;

    /// <summary>The steps of an adopted vassal: its arguments layered over the base's options.</summary>
    /// <exception cref="Options.ConfigurationException">The arguments or the ini they name are not valid.</exception>
    /// <exception cref="StartupException">A setting is missing or out of range.</exception>
    public static StartupSteps ForAdopted(KernelConfiguration baseConfiguration, IReadOnlyList<string> argv)
    {
        var configuration = baseConfiguration.LayerAdopted(argv, Environment.CurrentDirectory);
        return new StartupSteps(configuration, VassalSettings.From(configuration.Options), adopted: true);
    }

    /// <summary>
    /// Applies the options that shape the process itself, before anything else logs or loads: <c>log-level</c>, <c>logto</c> (standard
    /// output and standard error go to the file, so what the application prints lands there too), <c>chdir</c>, then
    /// <c>unenv</c> and <c>env</c>.
    /// Every process that starts from a vassal's options runs it: a classic one (<c>Program</c>, which also runs it
    /// for an Emperor or a base), an adopted master and its spare worker, so that an adopted vassal honours them as a
    /// classic one does.
    /// </summary>
    /// <exception cref="StartupException">The file cannot be opened, or the directory entered; the message names the option's source.</exception>
    public static void ShapeProcess(IOptionValues options)
    {
        if (options.GetValue("log-level") is { } level && !KernelLogging.TrySetLevel(level))
        {
            throw new StartupException($"{options.DescribeSource("log-level")}: log-level must be debug, info, warning or error, got '{level}'");
        }

        KernelLogging.SetDateFormat(options.GetValue("log-date"));
        if (options.GetValue("logto") is { } logFile)
        {
            try
            {
                KernelLogging.RedirectTo(logFile);
            }
            catch (PosixException e)
            {
                throw new StartupException($"{options.DescribeSource("logto")}: cannot log to {logFile}: {e.Message}", e);
            }
        }

        if (options.GetValue("chdir") is { } directory)
        {
            try
            {
                Environment.CurrentDirectory = directory;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StartupException($"{options.DescribeSource("chdir")}: cannot chdir to {directory}: {e.Message}", e);
            }
        }

        VassalEnvironment.Apply(options);
    }

    /// <summary>
    /// Opens the vassal's socket: the one a classic vassal's previous process handed over across its re-exec,
    /// or <paramref name="onDemand"/>, the socket the Emperor passed, if it listens where the vassal's socket option
    /// says; else a new one. <paramref name="onDemand"/> is taken or closed.
    /// </summary>
    /// <exception cref="StartupException">The socket cannot be bound; the message names the option's source.</exception>
    public ListeningSocket Listen(FileDescriptor? onDemand, ILogger log)
    {
        var socket = Settings.Socket;
        try
        {
            return ListenerHandOver.Take(socket)
                ?? (onDemand is not null ? ListenerHandOver.TakeInherited(onDemand, socket, log) : null)
                ?? (socket.IsUnix
                    ? ListeningSocket.BindUnix(socket.Address, Settings.ListenBacklog, socket.Mode, socket.Protocol)
                    : ListeningSocket.BindTcp(socket.Address, Settings.ListenBacklog, socket.Protocol));
        }
        catch (Exception e) when (e is PosixException or FormatException or ArgumentException)
        {
            throw new StartupException($"{Configuration.Options.DescribeSource(socket.Option)}: cannot listen on {socket.Option} {socket.Address}: {e.Message}", e);
        }
        finally
        {
            onDemand?.Dispose();
        }
    }

    /// <summary>Whom the vassal runs as (<see cref="VassalIdentity"/>), looked up; null to stay who this process is.</summary>
    /// <exception cref="StartupException">A user or group does not exist.</exception>
    public ResolvedIdentity? ResolveIdentity()
    {
        var identity = VassalIdentity.Of(Configuration, Settings, adopted, ProcessCalls.GetUid());
        if (identity.Uid is null && identity.Gid is null)
        {
            return null;
        }

        try
        {
            var (uid, gid) = Credentials.Resolve(identity.Uid, identity.Gid);
            return new ResolvedIdentity(uid, gid, identity);
        }
        catch (Exception e) when (e is ArgumentException or PosixException)
        {
            throw CannotDrop(identity, e);
        }
    }

    /// <summary>Becomes <paramref name="identity"/>: gid, supplementary groups cleared, then uid.</summary>
    /// <exception cref="StartupException">The kernel refused.</exception>
    public static void Become(ResolvedIdentity identity)
    {
        try
        {
            Credentials.Drop(identity.Uid, identity.Gid);
        }
        catch (Exception e) when (e is not StartupException)
        {
            throw CannotDrop(identity.Decided, e);
        }
    }

    private static StartupException CannotDrop(VassalIdentity identity, Exception e)
        => new($"cannot drop privileges to uid {identity.Uid ?? "-"} gid {identity.Gid ?? "-"}: {e.Message}", e);
}

/// <summary>Whom a vassal runs as, looked up.</summary>
/// <param name="Uid">The uid.</param>
/// <param name="Gid">The gid.</param>
/// <param name="Decided">What the configuration (or the default for adopted vassals) said.</param>
internal sealed record ResolvedIdentity(uint Uid, uint Gid, VassalIdentity Decided);
