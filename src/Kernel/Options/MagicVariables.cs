namespace ForkServer.Kernel.Options;

/// <summary>
/// The uWSGI magic variables (<c>%d</c>, <c>%p</c>, <c>%n</c>, <c>%e</c>, <c>%x</c>, <c>%c</c>) for one place
/// values are written: an ini file, or the command line, where only the directory ones mean something.
/// </summary>
internal sealed class MagicVariables
{
    private readonly string? _iniPath;
    private readonly string _directory;

    private MagicVariables(string? iniPath, string directory)
    {
        _iniPath = iniPath;
        _directory = directory;
    }

    /// <summary>The variables of an ini file.</summary>
    /// <param name="fullPath">The absolute path of the file.</param>
    public static MagicVariables ForIniFile(string fullPath)
        => new(fullPath, Path.GetDirectoryName(fullPath) ?? Path.GetPathRoot(fullPath) ?? "/");

    /// <summary>The variables of the command line, which has no file: directories are the working directory.</summary>
    public static MagicVariables ForCommandLine(string workingDirectory)
        => new(null, Path.TrimEndingDirectorySeparator(Path.GetFullPath(workingDirectory)));

    /// <summary>Looks up <c>%</c><paramref name="name"/>.</summary>
    /// <param name="name">The character after <c>%</c>.</param>
    /// <param name="value">The value when found.</param>
    /// <param name="error">Why not, otherwise.</param>
    public bool TryGet(char name, out string value, out string error)
    {
        value = "";
        error = "";
        switch (name)
        {
            case 'd':
                // uWSGI's %d keeps the trailing slash so "%dapp.psgi" works; the root already has one.
                value = Path.EndsInDirectorySeparator(_directory) ? _directory : _directory + "/";
                return true;
            case 'c':
                value = Path.GetFileName(_directory);
                return true;
            case 'p' or 'n' or 'e' or 'x' when _iniPath is null:
                error = $"'%{name}' names the ini file and means nothing on the command line";
                return false;
            case 'p':
                value = _iniPath!;
                return true;
            case 'x':
                value = Path.GetFileName(_iniPath!);
                return true;
            case 'n':
                value = Path.GetFileNameWithoutExtension(_iniPath!);
                return true;
            case 'e':
                value = Path.GetExtension(_iniPath!).TrimStart('.');
                return true;
            default:
                error = $"unknown placeholder '%{name}' (write '%%' for a percent sign)";
                return false;
        }
    }
}
