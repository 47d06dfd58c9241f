using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests;

/// <summary>
/// <c>socket</c> / <c>uwsgi-socket</c> (uWSGI's binary protocol) and <c>http-socket</c> on unix paths, spoken to by
/// a raw uwsgi client and by a real nginx (<c>uwsgi_pass</c>, <c>proxy_pass</c>).
/// </summary>
public sealed class UwsgiSocketTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<ForkServerProcess> _servers = [];

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task A_uwsgi_packet_on_a_tcp_socket_is_answered_with_an_http_response_then_a_close()
    {
        string address = Serve("tcp.ini", "socket = 127.0.0.1:0", "uwsgi://");
        int port = int.Parse(address.Split(':')[1]);

        string facts = await Exchange(port, Packet(
            ("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/facts?a=1"), ("PATH_INFO", "/facts"), ("QUERY_STRING", "a=1"),
            ("SERVER_PROTOCOL", "HTTP/1.1"), ("SERVER_NAME", "example.org"), ("SERVER_PORT", "8443"), ("HTTPS", "on"),
            ("REMOTE_ADDR", "10.1.2.3"), ("REMOTE_PORT", "5555"), ("CONTENT_LENGTH", ""), ("HTTP_HOST", "example.org"),
            ("HTTP_X_TEST", "hello")), []);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", facts);
        Assert.Contains("X-Served-By: forkserver\r\n", facts);
        Assert.DoesNotContain("Connection:", facts);
        foreach (string fact in new[]
        {
            "REQUEST_METHOD=GET", "PATH_INFO=/facts", "QUERY_STRING=a=1", "REQUEST_URI=/facts?a=1", "SERVER_NAME=example.org",
            "SERVER_PORT=8443", "REMOTE_ADDR=10.1.2.3", "CONTENT_LENGTH=<none>", "HTTP_HOST=example.org", "HTTP_X_TEST=hello",
            "psgi.url_scheme=https",
        })
        {
            Assert.Contains("\n" + fact + "\n", "\n" + facts[(facts.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        }

        // A body of unknown length is not chunked: the close ends it, as uWSGI answers nginx.
        string streamed = await Exchange(port, Packet(("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/stream")), []);
        Assert.DoesNotContain("Transfer-Encoding", streamed);
        Assert.EndsWith("\r\n\r\npart 1\npart 2\npart 3\n", streamed);

        byte[] body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789", 30_000)));
        string echoed = await Exchange(port, Packet(("REQUEST_METHOD", "POST"), ("REQUEST_URI", "/echo"), ("CONTENT_LENGTH", body.Length.ToString())), body);
        Assert.EndsWith("\r\n\r\n" + Encoding.ASCII.GetString(body), echoed);
    }

    [Fact]
    public async Task Nginx_reaches_uwsgi_sockets_on_a_unix_path_and_on_tcp_and_an_http_socket_on_a_unix_path()
    {
        string uwsgiPath = Path.Combine(_dir.Path, "app.sock");
        string httpPath = Path.Combine(_dir.Path, "http.sock");
        Serve("unix.ini", $"socket = {uwsgiPath}\nchmod-socket = 666", "uwsgi+unix:");
        string tcp = Serve("tcp.ini", "uwsgi-socket = 127.0.0.1:0", "uwsgi://");
        Serve("http.ini", $"http-socket = {httpPath}\nchmod-socket = 666", "http+unix:");

        // chmod-socket gives nginx's workers (another user when it runs as root) the right to connect.
        Assert.Equal((UnixFileMode)Convert.ToInt32("666", 8), File.GetUnixFileMode(uwsgiPath) & (UnixFileMode)Convert.ToInt32("777", 8));

        using var nginx = NginxProcess.Start(Path.Combine(_dir.Path, "nginx"), $$"""
                location /unix/ { UWSGI_PARAMS uwsgi_pass unix:{{uwsgiPath}}; }
                location /tcp/ { UWSGI_PARAMS uwsgi_pass {{tcp}}; }
                location /http/ { proxy_pass http://unix:{{httpPath}}:; }
            """);
        using var client = Http.Client(nginx.Port);
        try
        {
            foreach (string front in new[] { "unix", "tcp" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/{front}/facts?x=1");
                request.Headers.Add("X-Test", "through nginx");
                using var response = await client.SendAsync(request);
                string facts = await response.Content.ReadAsStringAsync();
                Assert.Equal(200, (int)response.StatusCode);
                Assert.Equal("forkserver", response.Headers.GetValues("X-Served-By").Single());
                Assert.Contains($"\nPATH_INFO=/{front}/facts\n", "\n" + facts);
                Assert.Contains($"\nREQUEST_URI=/{front}/facts?x=1\n", facts);
                Assert.Contains("\nQUERY_STRING=x=1\n", facts);
                Assert.Contains("\nSERVER_NAME=test.local\n", facts);
                Assert.Contains("\nREMOTE_ADDR=127.0.0.1\n", facts);
                Assert.Contains("\nHTTP_X_TEST=through nginx\n", facts);

                byte[] payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
                using var posted = await client.PostAsync($"/{front}/echo", new ByteArrayContent(payload));
                Assert.Equal(payload, await posted.Content.ReadAsByteArrayAsync());

                Assert.Equal("part 1\npart 2\npart 3\n", await client.GetStringAsync($"/{front}/stream"));
            }

            using var proxied = await client.GetAsync("/http/facts");
            Assert.Equal(200, (int)proxied.StatusCode);
            Assert.Contains("\nPATH_INFO=/http/facts\n", "\n" + await proxied.Content.ReadAsStringAsync());
            Assert.Equal("part 1\npart 2\npart 3\n", await client.GetStringAsync("/http/stream"));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"nginx error log:\n{nginx.ErrorLog}", e);
        }
    }

    [Fact]
    public async Task An_adopted_vassal_serves_uwsgi_on_a_unix_socket_from_its_spare_worker_and_after_a_reload()
    {
        string forkSocket = "@forkserver-uwsgi-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = new EmperorHarness("--emperor-use-fork-server", forkSocket, "--vassal-fork-base", "base.ini");
        emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("env_facts.psgi")}\nfork-server = {forkSocket}\n");
        emperor.Server.WaitForLine(new Regex(@"fork-server: spare vassal (\d+) waits for a request"));
        string path = Path.Combine(emperor.Scratch, "one.sock");
        string ini = emperor.DropFile("one.ini", $"[uwsgi]\nsocket = {path}\nprocesses = 2\n");

        int master = emperor.WaitAccepting("one.ini");
        emperor.Server.WaitForLine(new Regex($@"\[pid {master}\] master: worker 1 \(pid \d+\) forked while the vassal waited"));
        emperor.Server.WaitForLine(new Regex($@"master {master} serving .* on uwsgi\+unix:{Regex.Escape(path)} with 2 worker"));
        string answer = await Exchange(new UnixDomainSocketEndPoint(path), Packet(("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/adopted")), []);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.Contains("\nPATH_INFO=/adopted\n", answer);

        // The master's part of the adoption path stays JIT-free with this socket too (the base's warm-up rehearses it).
        Assert.Equal("0", emperor.Server.WaitForLine(new Regex($@"\[pid {master}\] master: JIT-free path: master ready, (\d+) method")).Groups[1].Value);

        // The adopted vassal hands its socket to the Emperor, which passes it to the next adoption: same path, no rebind.
        File.SetLastWriteTimeUtc(ini, DateTime.UtcNow.AddSeconds(5));
        int next = emperor.WaitAccepting("one.ini", occurrence: 1);
        Assert.NotEqual(master, next);
        emperor.Server.WaitForLine(new Regex($@"listening on {Regex.Escape(path)}, handed over by the previous process through the Emperor"));
        answer = await Exchange(new UnixDomainSocketEndPoint(path), Packet(("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/reloaded")), []);
        Assert.Contains("\nPATH_INFO=/reloaded\n", answer);
    }

    /// <summary>Starts a vassal with <paramref name="socketLines"/>; returns the address from its serving line after <paramref name="scheme"/>.</summary>
    private string Serve(string name, string socketLines, string scheme)
    {
        string ini = _dir.Write(name, $"[uwsgi]\nplugins = psgi\n{socketLines}\nprocesses = 2\npsgi = {RepositoryLayout.App("env_facts.psgi")}\n");
        var server = ForkServerProcess.Start(_dir.Path, "--ini", ini);
        _servers.Add(server);
        var serving = server.WaitForLine(new Regex($"serving .* on {Regex.Escape(scheme)}(?<address>\\S+) with"));
        server.WaitForLine(ForkServerProcess.AllReadyLine());
        return serving.Groups["address"].Value;
    }

    private static byte[] Packet(params (string Key, string Value)[] variables)
    {
        var vars = new MemoryStream();
        foreach (var (key, value) in variables)
        {
            foreach (string text in new[] { key, value })
            {
                byte[] bytes = Encoding.Latin1.GetBytes(text);
                vars.Write(BitConverter.GetBytes((ushort)bytes.Length)); // little-endian on every machine .NET runs this on
                vars.Write(bytes);
            }
        }

        var packet = new byte[4 + vars.Length];
        packet[0] = 5; // modifier1 of PSGI in uWSGI's documentation
        BinaryPrimitives.WriteUInt16LittleEndian(packet.AsSpan(1), (ushort)vars.Length);
        vars.ToArray().CopyTo(packet, 4);
        return packet;
    }

    /// <summary>Sends one request and reads the answer until the server closes (bounded).</summary>
    private static Task<string> Exchange(int port, byte[] packet, byte[] body)
        => Exchange(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), packet, body);

    private static async Task<string> Exchange(System.Net.EndPoint server, byte[] packet, byte[] body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, server is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp);
        await socket.ConnectAsync(server, timeout.Token);
        await socket.SendAsync(packet.Concat(body).ToArray(), timeout.Token);
        var received = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }
}
