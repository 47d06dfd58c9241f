using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// An adopted vassal's workers under sustained load, with a 1 MiB gen-0 budget so each one collects garbage many
/// times a second: not one worker dies, not one request fails, every worker is still the process it was. Adopted
/// workers used to fail fast (SIGABRT) within seconds: a forked grandchild's main thread ran on its dead parent's
/// main-thread stack, which the runtime still walked at every GC (docs/internals/fork-recipe.md).
/// </summary>
[Collection(SustainedLoad.Name)]
public sealed class SustainedLoadTests
{
    private static readonly TimeSpan LoadTime = TimeSpan.FromSeconds(20);

    private readonly ITestOutputHelper _output;

    public SustainedLoadTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void An_adopted_PSGI_vassal_serves_20_s_of_sustained_load_without_a_worker_death_or_a_failed_request()
        => AssertSurvivesLoad("psgi", "early-psgi", RepositoryLayout.App("hello_length.psgi"), "Hello World");

    [Fact]
    public void An_adopted_dotnet_vassal_serves_20_s_of_sustained_load_without_a_worker_death_or_a_failed_request()
        => AssertSurvivesLoad("dotnet", "early-dotnet", DotnetApps.Hello, "Hello World!");

    private void AssertSurvivesLoad(string plugin, string preloadKey, string app, string expectedBody)
    {
        string socket = "@fs-load-" + plugin + "-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = new EmperorHarness(SustainedLoad.SmallGen0Budget, "--emperor-use-fork-server", socket, "--vassal-fork-base", "base.ini");
        emperor.DropFile("base.ini", $"[uwsgi]\nplugins = {plugin}\n{preloadKey} = {app}\nfork-server = {socket}\n");
        int port = ClientLoop.FreePort();
        emperor.DropFile("load.ini", $"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nprocesses = 2\n");
        int master = emperor.WaitAccepting("load.ini");
        emperor.Server.WaitForLine(new Regex($"\\[pid {master}\\] master: all 2 worker\\(s\\) accepting"));
        var workers = ProcessTree.ChildrenOf(master).Order().ToList();
        Assert.Equal(2, workers.Count);
        using (var client = Http.Client(port))
        {
            Assert.Equal((200, expectedBody), Http.GetFresh(client, "").GetAwaiter().GetResult());
        }

        var report = Wrk.Run(port, LoadTime);

        _output.WriteLine(report.Output);
        var deaths = Regex.Matches(emperor.Server.Output, @".*worker \d+ \(pid \d+\) died.*").Select(m => m.Value).ToList();
        Assert.True(deaths.Count == 0, $"{deaths.Count} worker death(s) under load:\n{string.Join('\n', deaths)}");
        Assert.False(report.Failed, $"failed requests (or none served) under load:\n{report.Output}");
        Assert.Equal(workers, ProcessTree.ChildrenOf(master).Order().ToList());
    }
}
