using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// Many adoptions at once (bench/load-200.sh does 200): the base adopts one at a time, so the Emperor keeps only a
/// few sessions in flight; before it did, requests queued in the base past socket-timeout failed and were retried
/// while the base forked vassals nobody waited for any more.
/// </summary>
public sealed class LoadTests
{
    [Fact]
    public void Thirty_vassals_dropped_at_once_are_all_adopted_without_a_failed_session()
    {
        string socket = "@fs-load-" + Guid.NewGuid().ToString("N")[..8];
        using var emperor = new EmperorHarness("--emperor-use-fork-server", socket, "--vassal-fork-base", "base.ini", "--socket-timeout", "2");
        emperor.DropFile("base.ini", $"[uwsgi]\nplugins = psgi\nearly-psgi = {RepositoryLayout.App("hello.psgi")}\nfork-server = {socket}\n");
        emperor.Server.WaitForLine(new Regex("fork server \\d+ ready"));

        for (int i = 0; i < 30; i++)
        {
            emperor.DropFile($"v{i}.ini", "[uwsgi]\nhttp-socket = 127.0.0.1:0\n");
        }

        for (int i = 0; i < 30; i++)
        {
            emperor.WaitAccepting($"v{i}.ini");
        }

        Assert.DoesNotContain("no reply within", emperor.Server.Output);
        Assert.Equal(30, Regex.Matches(emperor.Server.Output, "adopted vassal v\\d+\\.ini").Count);
    }
}
