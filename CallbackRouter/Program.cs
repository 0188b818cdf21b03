using EmergencySolution.CallbackRouter;

var app = CallbackRouterApp.Create(args);
app.Run();

/// <summary>The entry point; public so WebApplicationFactory can host the router in tests.</summary>
public partial class Program
{
}
