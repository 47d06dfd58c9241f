using System.Text;
using System.Text.Json;
using static Tmds.Linux.LibC;

namespace ForkProbe;

/// <summary>Raw writes to fd 1 and pipes: Console would start the runtime's terminal/signal thread, and a process with it cannot fork.</summary>
internal static unsafe class ProbeOutput
{
    public static void WriteLine(object report) => WriteAll(STDOUT_FILENO, JsonSerializer.Serialize(report) + "\n");

    public static void WriteAll(int fd, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* start = bytes)
        {
            for (int offset = 0; offset < bytes.Length;)
            {
                long written = write(fd, start + offset, bytes.Length - offset);
                if (written <= 0)
                {
                    return;
                }

                offset += (int)written;
            }
        }
    }

    /// <summary>Reads <paramref name="pipe"/> to end-of-file, giving up after <paramref name="timeout"/>.</summary>
    public static string ReadToEnd(ForkServer.Kernel.Forking.ForkPipe pipe, TimeSpan timeout)
    {
        var text = new StringBuilder();
        byte* buffer = stackalloc byte[4096];
        while (pipe.WaitReadable(timeout))
        {
            long length = read(pipe.ReadFd, buffer, 4096);
            if (length <= 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, (int)length));
        }

        return text.ToString();
    }
}
