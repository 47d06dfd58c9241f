namespace ForkServer.Kernel.Http.Internal;

/// <summary>What the head of a request says about its body and its connection.</summary>
/// <param name="Encoding">How the body is delimited.</param>
/// <param name="ContentLength">The declared length for <see cref="BodyEncoding.ContentLength"/>.</param>
/// <param name="ExpectContinue">The client waits for <c>100 Continue</c> before sending the body.</param>
/// <param name="KeepAlive">The client allows another request on this connection.</param>
internal readonly record struct RequestFraming(BodyEncoding Encoding, long ContentLength, bool ExpectContinue, bool KeepAlive);
