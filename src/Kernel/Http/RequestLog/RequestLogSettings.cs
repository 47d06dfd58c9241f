namespace ForkServer.Kernel.Http.RequestLog;

/// <summary>What a worker's request log writes: one line per request, to standard error.</summary>
/// <param name="Format">The vassal's <c>log-format</c>; null for uWSGI's default line.</param>
/// <param name="AddressFromForwardedFor"><c>log-x-forwarded-for</c>: the address is the request's X-Forwarded-For, when it has one.</param>
/// <param name="DateFormat">The strftime format of <c>log-date</c>, used by <c>%(ftime)</c>; null when none.</param>
internal sealed record RequestLogSettings(RequestLogFormat? Format, bool AddressFromForwardedFor, string? DateFormat);
