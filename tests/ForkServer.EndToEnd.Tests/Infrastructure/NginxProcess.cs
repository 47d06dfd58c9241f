using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real nginx (Debian's nginx-light, scripts/install-deps.sh) in the foreground on 127.0.0.1, with a generated
/// configuration, pid file, error log and temporary paths in a directory of its own; stopped by pid.
/// </summary>
internal sealed class NginxProcess : IDisposable
{
    private const string Binary = "/usr/sbin/nginx";

    // The CGI variables nginx's uwsgi_params file passes (inlined: the test must not depend on /etc/nginx).
    private const string UwsgiParams = """
        uwsgi_param QUERY_STRING $query_string;
        uwsgi_param REQUEST_METHOD $request_method;
        uwsgi_param CONTENT_TYPE $content_type;
        uwsgi_param CONTENT_LENGTH $content_length;
        uwsgi_param REQUEST_URI $request_uri;
        uwsgi_param PATH_INFO $document_uri;
        uwsgi_param DOCUMENT_ROOT $document_root;
        uwsgi_param SERVER_PROTOCOL $server_protocol;
        uwsgi_param REQUEST_SCHEME $scheme;
        uwsgi_param HTTPS $https if_not_empty;
        uwsgi_param REMOTE_ADDR $remote_addr;
        uwsgi_param REMOTE_PORT $remote_port;
        uwsgi_param SERVER_PORT $server_port;
        uwsgi_param SERVER_NAME $server_name;
        """;

    private readonly Process _process;
    private readonly string _directory;

    private NginxProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The port nginx listens on.</summary>
    public int Port { get; }

    /// <summary>What nginx wrote to its error log so far.</summary>
    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    /// <summary>Starts nginx with <paramref name="locations"/> (location blocks; <c>UWSGI_PARAMS</c> expands to the usual uwsgi_param lines) and waits until it accepts.</summary>
    /// <param name="directory">nginx's prefix: configuration, pid file, logs and temporary files.</param>
    /// <param name="locations">The server block's location blocks.</param>
    /// <param name="serverName">The server block's <c>server_name</c>; null for none (nginx then sends an empty <c>SERVER_NAME</c>).</param>
    public static NginxProcess Start(string directory, string locations, string? serverName = "test.local")
    {
        Directory.CreateDirectory(directory);
        int port = FreePort();
        string config = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(config, $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log info;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                uwsgi_temp_path {{directory}}/uwsgi;
                fastcgi_temp_path {{directory}}/fastcgi;
                scgi_temp_path {{directory}}/scgi;
                server {
                    listen 127.0.0.1:{{port}};
                    {{(serverName is null ? "" : $"server_name {serverName};")}}
            {{locations.Replace("UWSGI_PARAMS", UwsgiParams)}}
                }
            }
            """);
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-p", directory, "-c", config, "-e", Path.Combine(directory, "error.log") })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var nginx = new NginxProcess(process, directory, port);
        try
        {
            nginx.WaitAccepting();
            return nginx;
        }
        catch
        {
            nginx.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        // SIGTERM is nginx's fast shutdown: the master stops its workers and exits.
        if (!_process.HasExited)
        {
            ProcessTree.Signal(_process.Id, ProcessTree.SIGTERM);
            if (!_process.WaitForExit(10_000))
            {
                foreach (int pid in ProcessTree.DescendantsOf(_process.Id).Prepend(_process.Id))
                {
                    ProcessTree.Signal(pid, ProcessTree.SIGKILL);
                }

                _process.WaitForExit(5000);
            }
        }

        _process.Dispose();
    }

    private void WaitAccepting()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}; error log:\n{ErrorLog}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                // Readiness is the port answering; nginx has no other signal in the foreground.
                Thread.Sleep(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
