using System.Diagnostics;
using System.Text.Json;

namespace ForkServer.Kernel.Tests.Forking;

/// <summary>
/// Runs tests/ForkProbe (built to artifacts/forkserver/probe/) and returns its JSON report. The probe, not the
/// test host, does the forking: the test host has thread-pool threads, and forking it would be refused.
/// </summary>
internal static class ForkProbeRunner
{
    private static readonly Lazy<string> ProbePath = new(FindProbe);

    public static JsonElement Run(TimeSpan timeout, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(ProbePath.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var probe = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {ProbePath.Value}");
        var output = probe.StandardOutput.ReadToEndAsync();
        var errors = probe.StandardError.ReadToEndAsync();
        if (!probe.WaitForExit(timeout))
        {
            probe.Kill(entireProcessTree: true);
            probe.WaitForExit();
            throw new TimeoutException($"ForkProbe {string.Join(' ', arguments)} did not finish within {timeout}; stderr: {errors.Result}");
        }

        probe.WaitForExit(); // drains the redirected streams
        Assert.True(probe.ExitCode == 0, $"ForkProbe {string.Join(' ', arguments)} exited with {probe.ExitCode}; stderr: {errors.Result}");
        string lastLine = output.Result.TrimEnd('\n').Split('\n')[^1];
        return JsonDocument.Parse(lastLine).RootElement.Clone();
    }

    private static string FindProbe()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ForkServer.sln")))
            {
                string probe = Path.Combine(directory.FullName, "artifacts", "forkserver", "probe", "ForkProbe");
                return File.Exists(probe) ? probe : throw new FileNotFoundException("Build tests/ForkProbe first", probe);
            }
        }

        throw new DirectoryNotFoundException($"No ForkServer.sln above {AppContext.BaseDirectory}");
    }
}
