using ForkServer.Kernel.Emperor;

namespace ForkServer.Kernel.Tests.Emperor;

public sealed class BlacklistTests
{
    [Fact]
    public void Each_failure_doubles_the_delay_up_to_the_ceiling()
    {
        var blacklist = new Blacklist(step: TimeSpan.FromSeconds(1), ceiling: TimeSpan.FromSeconds(5));

        var delays = Enumerable.Range(0, 5).Select(_ => blacklist.Punish("bad.ini").TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 5, 5], delays);
        var entry = Assert.Single(blacklist.Entries);
        Assert.Equal(5, entry.Attempt);
        Assert.True(entry.LastAttempt >= entry.FirstAttempt);
    }

    [Fact]
    public void Forgiving_starts_over_and_other_vassals_are_counted_apart()
    {
        var blacklist = new Blacklist(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(180));
        blacklist.Punish("a.ini");
        blacklist.Punish("a.ini");
        blacklist.Punish("b.ini");

        blacklist.Forgive("a.ini");

        Assert.Equal(1, blacklist.Punish("a.ini").TotalSeconds);
        Assert.Equal(2, blacklist.Punish("b.ini").TotalSeconds);
    }
}
