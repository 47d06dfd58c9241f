using ForkServer.Kernel.Emperor.Monitoring;
using ForkServer.Kernel.Hosting;
using ForkServer.Kernel.Options;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Vassal;

/// <summary>
/// Whom a vassal runs as: the <c>uid</c>/<c>gid</c> its configuration names, or, for an adopted vassal that names
/// no <c>uid</c> while running as root, a safe default instead of silently staying root (uWSGI's D10,
/// docs/uwsgi-defects.md).
/// </summary>
/// <remarks>
/// The default, as Passenger chooses it: the owner of the vassal's ini file when that owner is not root, else
/// <c>nobody</c>. Whoever could write the ini file could already choose any uid in it, so running as its owner
/// gives nothing away; root stays only when the configuration says <c>uid = root</c> (or 0). Classic vassals keep
/// uWSGI's behaviour (they run as whoever started them, with a warning when that is root): they are started by
/// the Emperor's own user on purpose, whereas an adopted vassal inherits a base that must stay root to serve
/// vassals of several users.
/// </remarks>
/// <param name="Uid">The uid to resolve (name or number), or null to keep the current one.</param>
/// <param name="Gid">The gid to resolve (name or number), or null.</param>
/// <param name="Reason">Why, when the configuration did not say it; null when it did.</param>
internal sealed record VassalIdentity(string? Uid, string? Gid, string? Reason)
{
    /// <summary>The uid and gid used when nobody better is known, as on Debian (<c>nobody</c>/<c>nogroup</c>).</summary>
    public const uint NobodyId = 65534;

    /// <summary>Decides whom the vassal runs as.</summary>
    /// <param name="uid">The configured <c>uid</c>, or null.</param>
    /// <param name="gid">The configured <c>gid</c>, or null.</param>
    /// <param name="adopted">True for a vassal forked from a fork-server base.</param>
    /// <param name="currentUid">The uid the process runs as now.</param>
    /// <param name="iniFile">The ini file the Emperor named for this vassal (full path), or null.</param>
    public static VassalIdentity Decide(string? uid, string? gid, bool adopted, uint currentUid, string? iniFile)
    {
        if (uid is not null || !adopted || currentUid != 0)
        {
            return new VassalIdentity(uid, gid, null);
        }

        if (iniFile is not null && OwnerOf(iniFile) is { } owner && owner.Uid != 0)
        {
            uint group = Credentials.PrimaryGroupOf(owner.Uid) ?? (owner.Gid != 0 ? owner.Gid : NobodyId);
            return new VassalIdentity(
                owner.Uid.ToString(), gid ?? group.ToString(), $"no uid set: running as {iniFile}'s owner");
        }

        string why = iniFile is null ? "no uid set and no ini file" : $"no uid set and {iniFile} is owned by root";
        return new VassalIdentity(
            NobodyId.ToString(), gid ?? (Credentials.PrimaryGroupOf(NobodyId) ?? NobodyId).ToString(), $"{why}: running as nobody (set uid = root to stay root)");
    }

    /// <summary>Decides whom the vassal <paramref name="configuration"/> describes runs as.</summary>
    public static VassalIdentity Of(KernelConfiguration configuration, VassalSettings settings, bool adopted, uint currentUid)
        => Decide(settings.Uid, settings.Gid, adopted, currentUid, adopted ? OwnIniFile(configuration) : null);

    /// <summary>
    /// The ini file this vassal was started with: the last <c>ini</c> of the command line (the adopted arguments
    /// come after the base's), not a file it includes. Null when it was started without one.
    /// </summary>
    private static string? OwnIniFile(KernelConfiguration configuration)
    {
        var given = (configuration.Options as OptionValues)?.GetBoundValues("ini").LastOrDefault(v => v.Source.File is null);
        return given is null
            ? null
            : Path.GetFullPath(IniReference.Parse(given.Value, null, configuration.StartDirectory).File, configuration.StartDirectory);
    }

    private static (uint Uid, uint Gid)? OwnerOf(string path)
        => FileProbe.Of(path) is { Kind: FileKind.Regular, Status: var status } ? (status.OwnerUid, status.OwnerGid) : null;
}
