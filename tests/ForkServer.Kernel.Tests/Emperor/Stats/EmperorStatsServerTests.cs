using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace ForkServer.Kernel.Tests.Emperor.Stats;

/// <summary>The stats socket over real TCP and unix sockets, with raw clients and HttpClient.</summary>
public sealed class EmperorStatsServerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stats-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_tcp_client_gets_one_document_then_end_of_stream()
    {
        using var host = new StatsTestHost("127.0.0.1:0", statsHttp: false);
        Assert.NotEqual(0, host.Server.Port);
        using var client = host.Connect();
        using var document = JsonDocument.Parse(ReadToEnd(client));
        Assert.Equal(7521, document.RootElement.GetProperty("pid").GetInt32());
    }

    [Fact]
    public void A_unix_socket_replaces_a_stale_one_and_is_private()
    {
        string path = Path.Combine(_folder, "stats.sock");
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(path));
        }

        using (var host = new StatsTestHost(path, statsHttp: false))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, new FileInfo(path).UnixFileMode & (UnixFileMode)0x1ff);
            using var client = host.Connect();
            using var document = JsonDocument.Parse(ReadToEnd(client));
            Assert.Equal(2, document.RootElement.GetProperty("vassals").GetArrayLength());
        }

        Assert.False(File.Exists(path), "the socket file is removed on dispose");
    }

    [Fact]
    public void A_regular_file_at_the_socket_path_is_not_deleted()
    {
        string path = Path.Combine(_folder, "not-a-socket");
        File.WriteAllText(path, "keep me");
        using var loop = new ForkServer.Kernel.Posix.EventLoop();
        using var server = new ForkServer.Kernel.Emperor.Stats.EmperorStatsServer(
            loop, path, false, StatsSamples.TwoVassalsOneBlacklisted, new Http.RecordingLogger());
        Assert.Throws<ForkServer.Kernel.Posix.PosixException>(server.Start);
        Assert.Equal("keep me", File.ReadAllText(path));
    }

    [Fact]
    public async Task Http_mode_answers_HttpClient_with_json()
    {
        using var host = new StatsTestHost("127.0.0.1:0", statsHttp: true);
        using var http = new HttpClient { Timeout = StatsTestHost.Timeout };
        using var response = await http.GetAsync($"http://127.0.0.1:{host.Server.Port}/");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(1, 0), response.Version);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("broken.ini", document.RootElement.GetProperty("blacklist")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void A_silent_http_client_does_not_hold_up_others_and_is_dropped()
    {
        using var host = new StatsTestHost("127.0.0.1:0", statsHttp: true);
        using var silent = host.Connect();
        using (var other = host.Connect())
        {
            other.Send("GET / HTTP/1.0\r\n\r\n"u8);
            Assert.StartsWith("HTTP/1.0 200 OK\r\n", Encoding.ASCII.GetString(ReadToEnd(other)));
        }

        // Dropped after the 5 s request timeout: the read ends with end-of-stream, well before the 20 s bound.
        Assert.Empty(ReadToEnd(silent));
        Assert.True(host.Logger.Has(2906));
    }

    [Fact]
    public void An_oversized_request_is_dropped()
    {
        using var host = new StatsTestHost("127.0.0.1:0", statsHttp: true);
        using var client = host.Connect();
        client.Send(new byte[5000]);
        Assert.DoesNotContain("HTTP/1.0", Encoding.ASCII.GetString(ReadToEnd(client)));
        Assert.True(host.Logger.Has(2905));
    }

    [Fact]
    public void A_large_document_reaches_a_slow_reader_without_blocking_the_loop()
    {
        using var host = new StatsTestHost("127.0.0.1:0", statsHttp: false, () => StatsSamples.WithVassals(3000));
        using var slow = host.Connect();
        slow.ReceiveBufferSize = 4096;

        // The loop still answers while the slow client has most of the document pending.
        Assert.Equal(1, host.OnLoop(() => host.Server.ConnectionCount));
        using (var fast = host.Connect())
        {
            JsonDocument.Parse(ReadToEnd(fast)).Dispose();
        }

        using var document = JsonDocument.Parse(ReadToEnd(slow));
        Assert.Equal(3000, document.RootElement.GetProperty("vassals").GetArrayLength());
    }

    [Fact]
    public void A_failing_snapshot_closes_the_connection_and_is_logged()
    {
        using var host = new StatsTestHost("127.0.0.1:0", statsHttp: false, () => throw new InvalidOperationException("boom"));
        using var client = host.Connect();
        Assert.Empty(ReadToEnd(client));
        Assert.True(host.Logger.Has(2904));
    }

    [Fact]
    public void Random_request_bytes_never_crash_the_server()
    {
        using var host = new StatsTestHost("127.0.0.1:0", statsHttp: true);
        Gen.Byte.Array[0, 300].Select(Gen.Bool).Sample(
            (bytes, terminate) =>
            {
                using (var client = host.Connect())
                {
                    client.Send(bytes);
                    if (terminate)
                    {
                        client.Send("\r\n\r\n"u8);
                    }

                    client.Shutdown(SocketShutdown.Send);
                    string reply = Encoding.ASCII.GetString(ReadToEnd(client));
                    Assert.True(reply.Length == 0 || reply.StartsWith("HTTP/1.0 200 OK\r\n"), reply);
                }

                using var probe = host.Connect();
                probe.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8);
                Assert.StartsWith("HTTP/1.0 200 OK\r\n", Encoding.ASCII.GetString(ReadToEnd(probe)));
            },
            iter: 100);
    }

    private static byte[] ReadToEnd(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        try
        {
            while ((n = socket.Receive(buffer)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // A dropped client may see a reset instead of end-of-stream; what arrived before still counts.
        }

        return received.ToArray();
    }
}
