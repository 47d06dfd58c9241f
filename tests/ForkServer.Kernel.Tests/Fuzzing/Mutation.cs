using CsCheck;

namespace ForkServer.Kernel.Tests.Fuzzing;

/// <summary>
/// Hostile input made from valid input: a valid encoding with a few bytes overwritten, flipped, inserted,
/// removed, cut short or repeated. Random bytes alone rarely get past a decoder's first check; mutants reach its
/// inner branches (lengths that run past the end, counts that disagree, truncated UTF-8).
/// </summary>
internal static class Mutation
{
    private static readonly Gen<(int Kind, int At, byte Value)> Edit = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 1 << 20], Gen.Byte);

    /// <summary>1 to 4 random edits of a value drawn from <paramref name="valid"/>.</summary>
    public static Gen<byte[]> Of(Gen<byte[]> valid)
        => Gen.Select(valid, Edit.Array[1, 4], (bytes, edits) => edits.Aggregate(bytes, Apply));

    private static byte[] Apply(byte[] b, (int Kind, int At, byte Value) edit)
    {
        int at = edit.At % (b.Length + 1);
        switch (edit.Kind)
        {
            case 0 when b.Length > 0:
                return [.. b[..(at % b.Length)], edit.Value, .. b[(at % b.Length + 1)..]];
            case 1 when b.Length > 0:
                var flipped = (byte[])b.Clone();
                flipped[at % b.Length] ^= (byte)(1 << (edit.Value % 8));
                return flipped;
            case 2:
                return [.. b[..at], edit.Value, .. b[at..]];
            case 3 when b.Length > 0:
                return [.. b[..(at % b.Length)], .. b[(at % b.Length + 1)..]];
            case 4:
                return b[..at];
            case 5:
                return [.. b, .. b[at..].Take(edit.Value)];
            default:
                return b;
        }
    }
}
