using EmergencySolution.CallbackRouter;
using Microsoft.Extensions.Options;

try
{
    CallbackRouterApp.Create(args).Run();
    return 0;
}
catch (OptionsValidationException exception)
{
    // The options are checked before the first request: a router that would strand a callback does not start.
    Console.Error.WriteLine("The callback router did not start. Fix these settings (docs/router.md, Configuration):");
    foreach (var failure in exception.Failures)
    {
        Console.Error.WriteLine("  - " + failure);
    }

    return 2;
}

/// <summary>The entry point; public so WebApplicationFactory can host the router in tests.</summary>
public partial class Program
{
}
