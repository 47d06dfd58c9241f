using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ForkServer.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real <c>forkserver</c> binary, started by a test. It records every output line so a test can wait for
/// a readiness line instead of sleeping, and on dispose it kills the process and every descendant it left.
/// </summary>
internal sealed partial class ForkServerProcess : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly object _gate = new();

    private ForkServerProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    /// <summary>Every line written so far (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts <c>forkserver</c> with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static ForkServerProcess Start(string workingDirectory, params string[] args)
        => Start(new Dictionary<string, string>(), workingDirectory, args);

    /// <summary>Starts <c>forkserver</c> the same way, with <paramref name="environment"/> added to the test's own.</summary>
    public static ForkServerProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
        => StartProgram(RepositoryLayout.ForkServerBinary, workingDirectory, environment, args);

    /// <summary>Starts another program (uWSGI, for interoperability tests) the same way.</summary>
    public static ForkServerProcess StartProgram(string executable, string workingDirectory, params string[] args)
        => StartProgram(executable, workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Starts another program with <paramref name="environment"/> added to the test's own.</summary>
    public static ForkServerProcess StartProgram(string executable, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The tests wait for debug lines (JIT-free counts, spares); a test of the default level sets it empty.
        info.Environment["FORKSERVER_LOG_LEVEL"] = "debug";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ForkServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts a vassal from an ini file and waits until all its workers accept; returns it with its port.</summary>
    public static (ForkServerProcess Server, int Port) StartServing(string workingDirectory, params string[] args)
    {
        var server = Start(workingDirectory, args);
        try
        {
            var match = server.WaitForLine(ServingLine());
            server.WaitForLine(AllReadyLine());
            return (server, int.Parse(match.Groups["port"].Value));
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Waits (bounded) for an output line matching <paramref name="pattern"/>, counting from the start.</summary>
    public Match WaitForLine(Regex pattern, TimeSpan? timeout = null, int skip = 0)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        lock (_gate)
        {
            while (true)
            {
                int seen = 0;
                foreach (string line in _lines)
                {
                    var match = pattern.Match(line);
                    if (match.Success && seen++ >= skip)
                    {
                        return match;
                    }
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || (_process.HasExited && !Monitor.Wait(_gate, 200)))
                {
                    throw new TimeoutException($"no line matching /{pattern}/ (exited: {_process.HasExited}); output:\n{string.Join('\n', _lines)}");
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Waits (bounded) for the process to exit and returns its exit code.</summary>
    public int WaitForExit(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? DefaultTimeout))
        {
            throw new TimeoutException($"forkserver {Pid} did not exit; output:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Signal(int signal) => ProcessTree.Signal(Pid, signal);

    public void Dispose()
    {
        foreach (int pid in ProcessTree.DescendantsOf(Pid).Prepend(Pid))
        {
            ProcessTree.Signal(pid, ProcessTree.SIGKILL);
        }

        _process.WaitForExit(5000);
        _process.Dispose();
    }

    [GeneratedRegex(@"serving .* on http://(?<address>[^:]+):(?<port>\d+) with (?<n>\d+) worker")]
    public static partial Regex ServingLine();

    [GeneratedRegex(@"all (?<n>\d+) worker\(s\) accepting")]
    public static partial Regex AllReadyLine();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            Monitor.PulseAll(_gate);
        }
    }
}
