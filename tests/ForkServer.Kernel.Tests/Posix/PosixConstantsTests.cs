using System.Reflection;
using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

/// <summary>The boundary's own constants are written out by hand: each must be the value Tmds.LibC gives on this machine.</summary>
public sealed class PosixConstantsTests
{
    public static TheoryData<string, string> Constants()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in new[] { typeof(Signals), typeof(Errno) })
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
            {
                data.Add(type.Name, field.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Constants))]
    public void Each_constant_is_libcs(string type, string name)
    {
        object ours = typeof(Signals).Assembly.GetType($"ForkServer.Kernel.Posix.{type}")!.GetField(name)!.GetValue(null)!;
        object? libc = typeof(Tmds.Linux.LibC).GetProperty(name, BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        Assert.NotNull(libc);
        Assert.Equal(Convert.ToInt64(libc), Convert.ToInt64(ours));
    }
}
