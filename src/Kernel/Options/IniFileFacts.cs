using System.Globalization;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Options;

/// <summary>
/// What uWSGI's per-file magic variables say about one ini file: <c>%o %p %s %d %e %n %c %x %i %j %0</c>…<c>%9</c>.
/// </summary>
internal sealed class IniFileFacts
{
    private const int DirectoryComponents = 10;

    private IniFileFacts(string original, string fullPath, string? section)
    {
        Original = original;
        FullPath = fullPath;
        Directory = DirectoryFacts.WithSlash(Path.GetDirectoryName(fullPath) ?? "/");
        Name = Path.GetFileName(fullPath);
        int dot = Name.LastIndexOf('.');
        BaseName = dot < 0 ? Name : Name[..dot];
        Extension = dot < 0 ? "" : Name[(dot + 1)..];
        Section = section ?? "";
        Inode = Files.TryLinkStat(fullPath, out var status, out _) ? status.Inode.ToString(CultureInfo.InvariantCulture) : "";
        Hash = Djb33xHex(fullPath);
    }

    /// <summary><c>%o</c>: the reference as written, section included (<c>app.ini:prod</c>).</summary>
    public string Original { get; }

    /// <summary><c>%p</c>: the absolute path of the file.</summary>
    public string FullPath { get; }

    /// <summary><c>%d</c>: the directory of the file, with a trailing slash so that <c>%dapp.psgi</c> works.</summary>
    public string Directory { get; }

    /// <summary><c>%s</c>: the file name.</summary>
    public string Name { get; }

    /// <summary><c>%n</c>: the file name without its last extension.</summary>
    public string BaseName { get; }

    /// <summary><c>%e</c>: the last extension, without the dot; empty when there is none.</summary>
    public string Extension { get; }

    /// <summary><c>%x</c>: the section named by the reference (<c>prod</c> of <c>app.ini:prod</c>); empty when none was named.</summary>
    public string Section { get; }

    /// <summary><c>%i</c>: the inode number of the file (of the link itself when it is a symbolic link).</summary>
    public string Inode { get; }

    /// <summary><c>%j</c>: the djb33x hash of <see cref="FullPath"/>, as uWSGI prints it (its 4 bytes in memory order, in hex).</summary>
    public string Hash { get; }

    /// <summary>The facts of the file at <paramref name="fullPath"/>, referenced as <paramref name="original"/>.</summary>
    /// <param name="original">The <c>ini</c> value as written.</param>
    /// <param name="fullPath">The absolute path of the file.</param>
    /// <param name="section">The section the reference named, or <c>null</c>.</param>
    public static IniFileFacts Of(string original, string fullPath, string? section) => new(original, fullPath, section);

    /// <summary>The value of the lower-case file variable <paramref name="name"/>, or <c>null</c> when it is not one.</summary>
    public string? Get(char name) => name switch
    {
        'o' => Original,
        'p' => FullPath,
        's' => Name,
        'd' => Directory,
        'e' => Extension,
        'n' => BaseName,
        'c' => DirectoryFacts.LastName(Directory),
        'x' => Section,
        'i' => Inode,
        'j' => Hash,
        >= '0' and <= '9' => DirectoryFacts.Component(Directory, name - '0'),
        _ => null,
    };

    private static string Djb33xHex(string path)
    {
        uint hash = 5381;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(path))
        {
            // uWSGI hashes C chars, which are signed: bytes above 0x7F are sign-extended before the xor.
            hash = ((hash << 5) + hash) ^ (uint)(sbyte)b;
        }

        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes, hash);
        return Convert.ToHexString(bytes);
    }

    /// <summary>The directory-based variables, shared with the command line (whose directory is the working one).</summary>
    internal static class DirectoryFacts
    {
        /// <summary><paramref name="directory"/> ending in exactly one slash.</summary>
        public static string WithSlash(string directory)
            => Path.EndsInDirectorySeparator(directory) ? directory : directory + "/";

        /// <summary><c>%c</c>: the name of the directory itself (empty for the root).</summary>
        public static string LastName(string directory) => Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));

        /// <summary><c>%0</c>…<c>%9</c>: the <paramref name="index"/>th component of the directory, empty past the last.</summary>
        public static string Component(string directory, int index)
        {
            var parts = directory.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return index < parts.Length && index < DirectoryComponents ? parts[index] : "";
        }
    }
}
