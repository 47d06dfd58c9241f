namespace ForkServer.Plugins.DotnetPreload.Internal;

/// <summary>
/// Thrown through the application's <c>Main</c> when its host is about to start in the base: it unwinds <c>Main</c>
/// back to the plugin with the host built but neither started nor disposed. Never escapes the plugin.
/// </summary>
internal sealed class PreloadCompletedException()
    : Exception("the host is built: preloading stops here (an application that catches this should let it through)");
