using HeadshotPro.Sandbox;

SandboxOptions options;
try
{
    options = SandboxOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("HeadshotPro.Sandbox: " + e.Message);
    return 2;
}

SandboxServer server;
try
{
    server = await SandboxServer.StartAsync(options);
}
catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or ArgumentException or UriFormatException)
{
    Console.Error.WriteLine($"HeadshotPro.Sandbox: cannot listen on '{options.Urls}': {e.Message.Split('\n')[0].Trim()}");
    return 2;
}

await using (server)
{
    server.ListeningChanged += (listening, at) =>
    {
        Console.WriteLine(listening
            ? $"HeadshotPro sandbox listening again on {server.ApiBaseUri} at {SandboxState.Iso(at)}"
            : $"HeadshotPro sandbox stopped listening at {SandboxState.Iso(at)} (outage)");
        Console.Out.Flush();
    };
    Console.WriteLine($"HeadshotPro sandbox listening on {server.ApiBaseUri}");
    Console.Out.Flush();
    await server.WaitForShutdownAsync();
}
return 0;
