using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Tests.Forking;

namespace ForkServer.Kernel.Tests.Posix;

public sealed class CredentialsTests
{
    [Fact]
    public void Names_and_numbers_resolve()
    {
        Assert.Equal((0u, 0u), Credentials.Resolve("root", "root"));
        Assert.Equal((65534u, 65534u), Credentials.Resolve("nobody", "nogroup"));
        Assert.Equal((1234u, 4321u), Credentials.Resolve("1234", "4321"));
    }

    [Fact]
    public void A_user_name_without_gid_takes_the_users_primary_group()
    {
        Assert.Equal((65534u, 65534u), Credentials.Resolve("nobody", null));
        Assert.Equal((0u, 0u), Credentials.Resolve("root", null));
    }

    [Fact]
    public void A_numeric_uid_without_gid_is_refused_rather_than_keeping_the_current_group()
    {
        var error = Assert.Throws<ArgumentException>(() => Credentials.Resolve("1234", null));
        Assert.Contains("set gid too", error.Message);
    }

    [Fact]
    public void Unknown_names_fail_naming_them()
    {
        var user = Assert.Throws<ArgumentException>(() => Credentials.Resolve("no-such-user-fs", null));
        Assert.Contains("user 'no-such-user-fs'", user.Message);
        var group = Assert.Throws<ArgumentException>(() => Credentials.Resolve(null, "no-such-group-fs"));
        Assert.Contains("group 'no-such-group-fs'", group.Message);
    }

    [Fact]
    public void A_forked_child_drops_to_nobody_with_no_supplementary_groups()
    {
        var report = ForkProbeRunner.Run(TimeSpan.FromSeconds(60), "credentials");
        if (!report.GetProperty("isRoot").GetBoolean())
        {
            return; // dropping privileges needs root; the resolution checks above still ran
        }

        Assert.Equal("exit code 0", report.GetProperty("dropExit").GetString());
        var lines = report.GetProperty("dropped").GetString()!.Split('\n').ToDictionary(l => l.Split(':')[0], l => l.Split(':')[1].Trim());
        Assert.Equal("65534\t65534\t65534\t65534", lines["Uid"]);
        Assert.Equal("65534\t65534\t65534\t65534", lines["Gid"]);
        Assert.Equal(string.Empty, lines["Groups"]);
    }
}
