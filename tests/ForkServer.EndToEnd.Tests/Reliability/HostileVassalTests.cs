using System.Text.RegularExpressions;
using ForkServer.EndToEnd.Tests.Infrastructure;

namespace ForkServer.EndToEnd.Tests.Reliability;

/// <summary>
/// The Emperor's side of the control-byte fuzzing (the vassal's side is Fuzzing/ControlByteFuzzTests): vassals
/// that write random bytes on their control socket, below the flood limit, cannot disturb the Emperor. Bytes that
/// are reports (1, 5, 17, 26) are believed, as uWSGI believes them; every other byte is ignored.
/// </summary>
public sealed class HostileVassalTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Random_report_bytes_leave_the_emperor_serving_stats_and_spawning(int seed)
    {
        using var scripts = new TempDirectory();
        string noise = scripts.Write("noise.sh",
            "#!/bin/sh\nexec perl -e '$| = 1; open(my $fh, \">&=\", $ENV{UWSGI_EMPEROR_FD}) or die; srand(" + seed + " + $$); "
            + "for (1..400) { syswrite($fh, chr(int(rand(256)))); select(undef, undef, undef, 0.004) } print \"noise done $$\\n\"; sleep 600'\n");
        File.SetUnixFileMode(noise, (UnixFileMode)0x1ed);
        using var emperor = new EmperorHarness("--emperor-wrapper", noise);

        emperor.DropFile("one.ini", "[uwsgi]\n");
        emperor.DropFile("two.ini", "[uwsgi]\n");
        emperor.Server.WaitForLine(new Regex("^noise done \\d+$"));
        emperor.Server.WaitForLine(new Regex("^noise done \\d+$"), skip: 1);

        // Still responsive: a new file is spawned at once, the stats list everyone, nobody was cut off.
        emperor.DropFile("three.ini", "[uwsgi]\n");
        emperor.Server.WaitForLine(new Regex("spawned vassal three.ini"));
        using var stats = EmperorStatsClient.Read(emperor.StatsSocket);
        Assert.All(new[] { "one.ini", "two.ini", "three.ini" }, name => Assert.NotNull(EmperorStatsClient.Vassal(stats, name)));
        Assert.DoesNotContain("floods its control socket", emperor.Server.Output);
        Assert.True(ProcessTree.IsAlive(emperor.Server.Pid));
    }
}
