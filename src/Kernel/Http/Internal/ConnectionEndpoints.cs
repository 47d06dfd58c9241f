namespace ForkServer.Kernel.Http.Internal;

/// <summary>Both ends of one accepted connection, formatted once and shared by all its requests.</summary>
internal sealed record ConnectionEndpoints(string RemoteAddress, int RemotePort, string ServerAddress, int ServerPort);
