using ForkServer.Abstractions;
using ForkServer.Kernel.Http;
using ForkServer.Kernel.Posix;
using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Brings a vassal up in uWSGI's order: early load (already done while configuring), bind the HTTP socket,
/// drop privileges, load the application (non-early), then hand over to the master.
/// </summary>
internal sealed class VassalStartup(VassalSettings settings, ApplicationLoader loader, IOptionValues options, ILoggerFactory logging)
{
    private readonly ILogger _log = logging.CreateLogger("vassal");

    /// <summary>Starts the vassal and supervises it until it stops; returns the exit code.</summary>
    public int Run()
    {
        loader.Load(LoadPhase.Early);
        using var listener = Bind();
        DropPrivileges();
        loader.Load(LoadPhase.Master);
        var application = loader.Require();

        using var master = new VassalMaster(settings, listener, application, options, logging);
        return master.Run();
    }

    private ListeningSocket Bind()
    {
        try
        {
            return ListeningSocket.BindTcp(settings.HttpSocket, settings.ListenBacklog);
        }
        catch (Exception e) when (e is PosixException or FormatException or ArgumentException)
        {
            throw new StartupException($"{options.DescribeSource("http-socket")}: cannot listen on http-socket {settings.HttpSocket}: {e.Message}", e);
        }
    }

    private void DropPrivileges()
    {
        if (settings.Uid is null && settings.Gid is null)
        {
            if (Tmds.Linux.LibC.getuid() == 0)
            {
                _log.LogWarning("running as root: set uid and gid to drop privileges before serving");
            }

            return;
        }

        try
        {
            var (uid, gid) = Credentials.Resolve(settings.Uid, settings.Gid);
            Credentials.Drop(uid, gid);
            _log.LogInformation("privileges dropped to uid {Uid} gid {Gid}", uid, gid);
        }
        catch (Exception e) when (e is not StartupException)
        {
            throw new StartupException($"cannot drop privileges to uid {settings.Uid ?? "-"} gid {settings.Gid ?? "-"}: {e.Message}", e);
        }
    }
}
