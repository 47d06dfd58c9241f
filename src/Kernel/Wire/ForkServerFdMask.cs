namespace ForkServer.Kernel.Wire;

/// <summary>
/// <c>modifier2</c> of a fork-server request: which fds ride along in its <c>SCM_RIGHTS</c> message
/// (docs/protocol.md#request). The fds always come in this order: control, config, on-demand.
/// </summary>
[Flags]
internal enum ForkServerFdMask : byte
{
    /// <summary>The vassal end of the Emperor control socketpair; always present.</summary>
    Control = 0x01,

    /// <summary>The vassal end of the config socketpair.</summary>
    Config = 0x02,

    /// <summary>The on-demand listening socket.</summary>
    OnDemand = 0x04,
}
