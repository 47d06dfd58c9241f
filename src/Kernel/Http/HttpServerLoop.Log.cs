using Microsoft.Extensions.Logging;

namespace ForkServer.Kernel.Http;

/// <summary>The HTTP front's log events (ids 1100–1199).</summary>
internal sealed partial class HttpServerLoop
{
    /// <summary>Log events of the HTTP front, shared by its connections and responses.</summary>
    internal static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Error, "Accepting on {Endpoint} failed: {Error} (errno {Errno}); paused until the next sweep")]
        public static partial void AcceptFailed(ILogger logger, string endpoint, int errno, string error);

        [LoggerMessage(1102, LogLevel.Warning, "Setting up accepted connection fd {Fd} failed; closed")]
        public static partial void AdoptFailed(ILogger logger, Exception exception, int fd);

        [LoggerMessage(1103, LogLevel.Error, "Connection fd {Fd} from {RemoteAddress} failed; closed")]
        public static partial void ConnectionFailed(ILogger logger, Exception exception, int fd, string remoteAddress);

        [LoggerMessage(1104, LogLevel.Debug, "Refused a request with {Status} ({Reason}) from {RemoteAddress}")]
        public static partial void RequestRefused(ILogger logger, int status, string reason, string remoteAddress);

        [LoggerMessage(1105, LogLevel.Error, "The application failed on {Method} {Target}; answered 500")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string method, string target);

        [LoggerMessage(1106, LogLevel.Error, "The application failed on {Method} {Target} after its response began; connection aborted")]
        public static partial void HandlerFailedAfterStart(ILogger logger, Exception exception, string method, string target);

        [LoggerMessage(1107, LogLevel.Warning, "The application returned without completing its response to {Method} {Target}; completed for it")]
        public static partial void ResponseNotCompleted(ILogger logger, string method, string target);

        [LoggerMessage(1108, LogLevel.Warning, "The application wrote more than its Content-Length {ContentLength} for {Method} {Target}; surplus dropped")]
        public static partial void ResponseLongerThanDeclared(ILogger logger, string method, string target, long contentLength);

        [LoggerMessage(1109, LogLevel.Warning, "The application wrote {Written} of its Content-Length {ContentLength} for {Method} {Target}; connection closed")]
        public static partial void ResponseShorterThanDeclared(ILogger logger, string method, string target, long contentLength, long written);

        [LoggerMessage(1110, LogLevel.Debug, "Client on fd {Fd} went away while a response was sent (errno {Errno})")]
        public static partial void ClientGone(ILogger logger, int fd, int errno);

        [LoggerMessage(1111, LogLevel.Warning, "Client on fd {Fd} read nothing for {Seconds} s; response abandoned")]
        public static partial void WriteTimedOut(ILogger logger, int fd, int seconds);

        [LoggerMessage(1120, LogLevel.Error, "The response to {Method} {Target} was aborted before any byte of it was sent; answered 500")]
        public static partial void AbortedBeforeSending(ILogger logger, string method, string target);

        [LoggerMessage(1121, LogLevel.Warning, "Client on fd {Fd} took more than {Seconds} s in all to read one response; response abandoned")]
        public static partial void ResponseWaitExceeded(ILogger logger, int fd, int seconds);

        [LoggerMessage(1122, LogLevel.Error, "The request body of {Method} {Target} could not be stored; answered 500")]
        public static partial void BodyNotStored(ILogger logger, Exception exception, string method, string target);

        [LoggerMessage(1140, LogLevel.Warning, "Setting TCP_DEFER_ACCEPT on {Endpoint} failed: {Error} (errno {Errno}); connections are taken before their request arrives, so a busy worker may hold one")]
        public static partial void DeferAcceptUnavailable(ILogger logger, string endpoint, int errno, string error);
    }
}
