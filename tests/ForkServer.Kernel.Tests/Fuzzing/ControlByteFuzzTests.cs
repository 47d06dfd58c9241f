using CsCheck;
using ForkServer.Kernel.Posix;
using ForkServer.Kernel.Vassal;
using ForkServer.Kernel.Wire;
using static Tmds.Linux.LibC;

namespace ForkServer.Kernel.Tests.Fuzzing;

/// <summary>
/// The vassal's end of the Emperor link fed any bytes in any pieces: every byte comes out once, in order, and
/// only the end of the stream counts as the Emperor lost. Bytes that are no <see cref="EmperorCommand"/> (uWSGI
/// sends none) are ignored by the master, as uWSGI's vassals ignore them; the Emperor's side of the same test,
/// with a real vassal sending garbage reports, is in the end-to-end Reliability tests.
/// </summary>
[Collection(DescriptorChurn.Name)]
public sealed unsafe class ControlByteFuzzTests
{
    [Fact]
    public void Any_command_bytes_are_read_once_in_order_and_only_eof_means_lost()
        => Bounded.Run(nameof(Any_command_bytes_are_read_once_in_order_and_only_eof_means_lost), () =>
            Gen.Byte.Array[0, 100].Array[0, 8].Sample(
                pieces =>
                {
                    using var pair = ControlSocketPair.Create();
                    using var link = EmperorLink.Adopt(dup(pair.VassalEnd));
                    var received = new List<byte>();
                    foreach (byte[] piece in pieces)
                    {
                        fixed (byte* bytes = piece)
                        {
                            Assert.Equal(piece.Length, (int)send(pair.EmperorEnd, bytes, piece.Length, MSG_NOSIGNAL));
                        }

                        received.AddRange(link.ReadCommands(out bool lost).Select(c => (byte)c));
                        Assert.False(lost);
                    }

                    pair.Dispose(); // the Emperor goes away; the link's own dup keeps the vassal's end open
                    received.AddRange(link.ReadCommands(out bool gone).Select(c => (byte)c));
                    Assert.True(gone);
                    Assert.Equal(pieces.SelectMany(p => p), received);
                },
                iter: 2000,
                threads: 1));
}
