namespace ForkServer.Kernel.Options;

/// <summary>
/// uWSGI's magic variables (<c>%d</c>, <c>%k</c>, …) for one place values are written: an ini file, or the command
/// line, which has no file (its directory variables describe the working directory). Lower-case file variables
/// describe the file being read, upper-case ones (<c>%D %P %S %N %E %C %X %O %I %J</c>) the first ini file read.
/// </summary>
internal sealed class MagicVariables
{
    private readonly IniFileFacts? _file;
    private readonly IniFileFacts? _firstFile;
    private readonly string _directory;
    private readonly ProcessFacts _process;

    private MagicVariables(IniFileFacts? file, IniFileFacts? firstFile, string directory, ProcessFacts process)
    {
        _file = file;
        _firstFile = firstFile;
        _directory = directory;
        _process = process;
    }

    /// <summary>The variables of an ini file.</summary>
    /// <param name="file">The file being read.</param>
    /// <param name="firstFile">The first ini file of this reading (<paramref name="file"/> itself for the first one).</param>
    /// <param name="process">The process variables of this reading.</param>
    public static MagicVariables ForIniFile(IniFileFacts file, IniFileFacts firstFile, ProcessFacts process)
        => new(file, firstFile, file.Directory, process);

    /// <summary>The variables of the command line: directories are the working directory.</summary>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="firstFile">The first ini file read so far, or <c>null</c>.</param>
    /// <param name="process">The process variables of this reading.</param>
    public static MagicVariables ForCommandLine(string workingDirectory, IniFileFacts? firstFile, ProcessFacts process)
        => new(null, firstFile, IniFileFacts.DirectoryFacts.WithSlash(Path.GetFullPath(workingDirectory)), process);

    /// <summary>Looks up <c>%</c><paramref name="name"/>.</summary>
    /// <param name="name">The character after <c>%</c>.</param>
    /// <param name="value">The value when found.</param>
    /// <param name="error">Why not, otherwise.</param>
    public bool TryGet(char name, out string value, out string error)
    {
        error = "";
        value = "";
        if (_process.Get(name) is { } processValue)
        {
            value = processValue;
            return true;
        }

        switch (name)
        {
            case 'd':
                value = _directory;
                return true;
            case 'c':
                value = IniFileFacts.DirectoryFacts.LastName(_directory);
                return true;
            case >= '0' and <= '9':
                value = IniFileFacts.DirectoryFacts.Component(_directory, name - '0');
                return true;
            case 'o' or 'p' or 's' or 'e' or 'n' or 'x' or 'i' or 'j' when _file is null:
                error = $"'%{name}' names the ini file and means nothing on the command line";
                return false;
            case 'o' or 'p' or 's' or 'e' or 'n' or 'x' or 'i' or 'j':
                value = _file!.Get(name)!;
                return true;
            case 'O' or 'P' or 'S' or 'D' or 'E' or 'N' or 'C' or 'X' or 'I' or 'J' when _firstFile is null:
                error = $"'%{name}' names the first ini file read, and none has been read before this point";
                return false;
            case 'O' or 'P' or 'S' or 'D' or 'E' or 'N' or 'C' or 'X' or 'I' or 'J':
                value = _firstFile!.Get(char.ToLowerInvariant(name))!;
                return true;
            default:
                error = $"unknown placeholder '%{name}' (write '%%' for a percent sign)";
                return false;
        }
    }
}
