using System.Text;

namespace ForkServer.Kernel.Emperor.Stats;

/// <summary>The stats-http reply around a stats document: the same status line and headers uWSGI sends, plus a length.</summary>
internal static class StatsHttpReply
{
    /// <summary>Head and <paramref name="document"/> in one buffer, written as one stream.</summary>
    public static byte[] Frame(byte[] document)
    {
        string head = "HTTP/1.0 200 OK\r\n"
            + "Connection: close\r\n"
            + "Access-Control-Allow-Origin: *\r\n"
            + "Content-Type: application/json\r\n"
            + $"Content-Length: {document.Length}\r\n"
            + "\r\n";
        var reply = new byte[Encoding.ASCII.GetByteCount(head) + document.Length];
        int headLength = Encoding.ASCII.GetBytes(head, reply);
        document.CopyTo(reply, headLength);
        return reply;
    }
}
