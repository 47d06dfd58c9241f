using System.Runtime.Versioning;

// ForkServer is Linux-only (fork, signalfd, pidfd, /proc): so are its tests.
[assembly: SupportedOSPlatform("linux")]
