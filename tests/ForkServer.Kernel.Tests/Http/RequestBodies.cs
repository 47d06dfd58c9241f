using ForkServer.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace ForkServer.Kernel.Tests.Http;

/// <summary>Reads a request's body wherever the server put it, as a handler must.</summary>
internal static class RequestBodies
{
    /// <summary>The whole body: from memory, or with pread(2) from its spool file.</summary>
    public static byte[] ReadAll(IRequest request)
    {
        if (request.BodyFile < 0)
        {
            return request.Body.ToArray();
        }

        using var file = new SafeFileHandle(request.BodyFile, ownsHandle: false);
        var bytes = new byte[request.BodyLength];
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(file, bytes.AsSpan(read), read);
            Assert.True(n > 0, "the spool file is shorter than BodyLength");
            read += n;
        }

        return bytes;
    }
}
