using ForkServer.Kernel.Vassal;

namespace ForkServer.Kernel.Tests.Vassal;

/// <summary>
/// Whom a vassal runs as when its ini names no uid (the safe default for adopted vassals, D10 in
/// docs/uwsgi-defects.md).
/// </summary>
public sealed class VassalIdentityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("identity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_configured_uid_is_kept_even_root()
    {
        Assert.Equal(new VassalIdentity("root", null, null), VassalIdentity.Decide("root", null, adopted: true, currentUid: 0, Ini(0, 0)));
        Assert.Equal(new VassalIdentity("1001", "1001", null), VassalIdentity.Decide("1001", "1001", adopted: true, currentUid: 0, Ini(0, 0)));
    }

    [Fact]
    public void Classic_vassals_and_vassals_not_started_as_root_are_left_alone()
    {
        Assert.Equal(new VassalIdentity(null, null, null), VassalIdentity.Decide(null, null, adopted: false, currentUid: 0, Ini(0, 0)));
        Assert.Equal(new VassalIdentity(null, "5", null), VassalIdentity.Decide(null, "5", adopted: true, currentUid: 1000, Ini(0, 0)));
    }

    [Fact]
    public void An_adopted_vassal_without_uid_runs_as_the_owner_of_its_ini()
    {
        if (Environment.UserName != "root")
        {
            return; // chown needs root; CI runs as root
        }

        // 4242 has no passwd entry here: the file's group is taken; a configured gid wins over both.
        var identity = VassalIdentity.Decide(null, null, adopted: true, currentUid: 0, Ini(4242, 4343));
        Assert.Equal(("4242", "4343"), (identity.Uid, identity.Gid));
        Assert.Contains("owner", identity.Reason);
        Assert.Equal("7", VassalIdentity.Decide(null, "7", adopted: true, currentUid: 0, Ini(4242, 4343)).Gid);

        // Owned by a user but group root: not group 0, nogroup instead.
        Assert.Equal(("4242", "65534"), Pair(VassalIdentity.Decide(null, null, adopted: true, currentUid: 0, Ini(4242, 0))));

        // A user with a passwd entry gets that user's primary group.
        Assert.Equal(("65534", "65534"), Pair(VassalIdentity.Decide(null, null, adopted: true, currentUid: 0, Ini(65534, 4343))));
    }

    [Fact]
    public void An_adopted_vassal_without_uid_whose_ini_is_root_s_or_unknown_runs_as_nobody()
    {
        string rootOwned = Path.Combine(_dir, "root.ini");
        File.WriteAllText(rootOwned, "[uwsgi]\n");
        if (Environment.UserName == "root")
        {
            var identity = VassalIdentity.Decide(null, null, adopted: true, currentUid: 0, rootOwned);
            Assert.Equal(("65534", "65534"), Pair(identity));
            Assert.Contains("uid = root", identity.Reason);
        }

        Assert.Equal(("65534", "65534"), Pair(VassalIdentity.Decide(null, null, adopted: true, currentUid: 0, null)));
        Assert.Equal(("65534", "65534"), Pair(VassalIdentity.Decide(null, null, adopted: true, currentUid: 0, Path.Combine(_dir, "gone.ini"))));
        Assert.Equal(("65534", "12"), Pair(VassalIdentity.Decide(null, "12", adopted: true, currentUid: 0, null)));
    }

    private static (string?, string?) Pair(VassalIdentity identity) => (identity.Uid, identity.Gid);

    private string Ini(int uid, int gid)
    {
        string path = Path.Combine(_dir, $"{uid}-{gid}-{Guid.NewGuid():N}.ini");
        File.WriteAllText(path, "[uwsgi]\n");
        if (Environment.UserName == "root")
        {
            Chown(path, uid, gid);
        }

        return path;
    }

    private static unsafe void Chown(string path, int uid, int gid)
    {
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
        {
            Assert.Equal(0, Tmds.Linux.LibC.chown(p, (uint)uid, (uint)gid));
        }
    }
}
