namespace ForkServer.Kernel.Options;

/// <summary>An <c>ini</c> option's value: which file, and which section of it (<c>app.ini:prod</c>).</summary>
/// <param name="File">The file, relative to the working directory unless absolute.</param>
/// <param name="Section">The section to read.</param>
/// <param name="SectionGiven">True when the reference named the section rather than defaulting to <c>uwsgi</c>.</param>
internal sealed record IniReference(string File, string Section, bool SectionGiven)
{
    /// <summary>The section read when the reference does not name one, as in uWSGI.</summary>
    public const string DefaultSection = "uwsgi";

    /// <summary>
    /// Splits <c>file[:section]</c> (or <c>:section</c>, a section of <paramref name="includingFile"/>), a relative
    /// file being relative to the directory of
    /// <paramref name="includingFile"/> when there is one. The text after the last colon is a section only when
    /// it contains no <c>/</c>, so a directory with a colon in its name still works.
    /// </summary>
    /// <param name="value">The option value.</param>
    /// <param name="includingFile">The ini file the value was written in (as referenced), or <c>null</c>.</param>
    /// <param name="workingDirectory">What relative references are relative to.</param>
    public static IniReference Parse(string value, string? includingFile, string workingDirectory)
    {
        string file = value;
        string section = DefaultSection;
        bool sectionGiven = false;
        int colon = value.LastIndexOf(':');
        if (colon == 0 && value.Length > 1 && value.IndexOf('/') < 0)
        {
            // ":section": another section of the file being read (none on the command line: File is then empty).
            return new IniReference(includingFile ?? "", value[1..], SectionGiven: true);
        }

        if (colon > 0 && colon < value.Length - 1 && value.IndexOf('/', colon) < 0)
        {
            file = value[..colon];
            section = value[(colon + 1)..];
            sectionGiven = true;
        }

        if (includingFile is not null && !Path.IsPathRooted(file))
        {
            file = Tidy(Path.Combine(Path.GetDirectoryName(includingFile) ?? "", file), workingDirectory);
        }

        return new IniReference(file, section, sectionGiven);
    }

    /// <summary>The reference as it would be written on the command line.</summary>
    public override string ToString() => SectionGiven ? $"{File}:{Section}" : File;

    // Error messages read better as conf/last.ini than as conf/common/../last.ini.
    private static string Tidy(string relativeFile, string workingDirectory)
    {
        try
        {
            return Path.GetRelativePath(workingDirectory, Path.GetFullPath(relativeFile, workingDirectory));
        }
        catch (ArgumentException)
        {
            // Not a path at all (a NUL inside): reading it reports that with the text as written.
            return relativeFile;
        }
    }
}

