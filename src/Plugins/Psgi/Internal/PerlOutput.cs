using System.Buffers.Binary;
using System.Text;
using ForkServer.Abstractions;
using Microsoft.Extensions.Logging;

namespace ForkServer.Plugins.Psgi.Internal;

/// <summary>
/// Where the glue's output lands while a caller is inside the interpreter: the response being streamed and
/// the logger for <c>psgi.errors</c> and <c>warn</c>. The magic callbacks run inside Perl, so nothing here may
/// throw into it: a failure sets the glue's <c>$abort</c> and is logged instead.
/// </summary>
internal sealed partial class PerlOutput(PerlInterpreter interpreter)
{
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private IResponse? _response;

    /// <summary>True once the response head went out through <see cref="IResponse.Start"/> during this request.</summary>
    public bool HeadSent { get; private set; }

    /// <summary>True once handing output to the response failed during this request.</summary>
    public bool Failed { get; private set; }

    /// <summary>Routes output to <paramref name="logger"/> and <paramref name="response"/> until disposed.</summary>
    public Binding Bind(ILogger logger, IResponse? response)
    {
        var previous = new Binding(this, _logger, _response);
        _logger = logger;
        _response = response;
        HeadSent = false;
        Failed = false;
        return previous;
    }

    internal void OnHead(ReadOnlySpan<byte> packed)
    {
        try
        {
            if (_response is null)
            {
                throw new InvalidOperationException("a response head arrived outside a request");
            }

            int status = BinaryPrimitives.ReadInt32LittleEndian(packed);
            HeadSent = true;
            _response.Start(status, PackedHeaders.Decode(packed[4..]));
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
    }

    internal void OnChunk(ReadOnlySpan<byte> chunk)
    {
        try
        {
            if (_response is null || !HeadSent)
            {
                throw new InvalidOperationException("a body chunk arrived before the response head");
            }

            _response.Write(chunk);
            if (_response.ClientDisconnected)
            {
                interpreter.SignalAbort();
            }
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
    }

    internal void OnLog(ReadOnlySpan<byte> line)
    {
        try
        {
            Log.PerlOutput(_logger, Encoding.UTF8.GetString(line).TrimEnd('\n'));
        }
        catch
        {
            // A logger that throws must not unwind Perl's C frames; the line is lost, nothing else.
        }
    }

    private void Fail(Exception exception)
    {
        Failed = true;
        interpreter.SignalAbort();
        try
        {
            Log.CallbackFailed(_logger, exception);
        }
        catch
        {
            // Same rule as OnLog: never throw into Perl.
        }
    }

    /// <summary>Restores the previous routing when a load, request or shutdown ends.</summary>
    internal readonly struct Binding(PerlOutput output, ILogger logger, IResponse? response) : IDisposable
    {
        public void Dispose()
        {
            output._logger = logger;
            output._response = response;
        }
    }
}
