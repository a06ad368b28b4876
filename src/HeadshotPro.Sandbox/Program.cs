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
    Console.WriteLine($"HeadshotPro sandbox listening on {server.ApiBaseUri}");
    Console.Out.Flush();
    await server.WaitForShutdownAsync();
}
return 0;
