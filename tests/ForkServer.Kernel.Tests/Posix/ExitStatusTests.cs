using ForkServer.Kernel.Posix;

namespace ForkServer.Kernel.Tests.Posix;

public sealed class ExitStatusTests
{
    [Theory]
    [InlineData(0x0000, "exit code 0")]
    [InlineData(0x0300, "exit code 3")]
    [InlineData(0xff00, "exit code 255")]
    [InlineData(0x0009, "signal 9 (SIGKILL)")]
    [InlineData(0x008b, "signal 11 (SIGSEGV)")] // core dumped: 0x80 flag
    public void Wait_statuses_decode_and_format(int raw, string expected)
        => Assert.Equal(expected, ExitStatus.FromWaitStatus(raw).ToString());

    [Theory]
    [InlineData(1, 3, "exit code 3")]
    [InlineData(2, 15, "signal 15 (SIGTERM)")]
    [InlineData(3, 6, "signal 6 (SIGABRT)")]
    public void Waitid_siginfo_decodes_and_formats(int code, int status, string expected)
        => Assert.Equal(expected, ExitStatus.FromChildSigInfo(code, status).ToString());

    [Fact]
    public void A_stopped_process_is_not_an_exit()
        => Assert.Throws<ArgumentException>(() => ExitStatus.FromWaitStatus(0x137f));

    [Theory]
    [InlineData(17, "SIGCHLD")]
    [InlineData(34, "SIGRTMIN+0")]
    [InlineData(40, "SIGRTMIN+6")]
    [InlineData(99, "signal 99")]
    public void Signals_have_names(int signal, string expected) => Assert.Equal(expected, SignalNames.Of(signal));
}
