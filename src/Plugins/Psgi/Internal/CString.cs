using System.Runtime.InteropServices;
using System.Text;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// NUL-terminated UTF-8 copies in unmanaged memory that live as long as the process: Perl keeps pointers to
/// its argv for the interpreter's lifetime, and sub and variable names are reused on every request.
/// </summary>
internal static unsafe class CString
{
    public static byte* Allocate(string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        byte* copy = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(copy, length));
        copy[length] = 0;
        return copy;
    }
}
