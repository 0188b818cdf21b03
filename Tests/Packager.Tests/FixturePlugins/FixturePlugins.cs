using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Packager.Tests.FixturePlugins;

// Types of the fixture plugin assembly (this test assembly). The registered ones derive from a base class that
// declares IPlugin, like plugins built on a PluginBase, so the checks must walk base types to find the interface.

public abstract class FixturePluginBase : IPlugin
{
    public void Execute(IServiceProvider serviceProvider) => ExecuteCore(serviceProvider);

    protected abstract void ExecuteCore(IServiceProvider serviceProvider);
}

public sealed class FixtureStepPlugin : FixturePluginBase
{
    protected override void ExecuteCore(IServiceProvider serviceProvider) { }
}

public sealed class FixtureApiPlugin : FixturePluginBase
{
    protected override void ExecuteCore(IServiceProvider serviceProvider) { }
}

/// <summary>Has the shape of a plugin but not the interface: registering it must fail the check.</summary>
public sealed class NotAPlugin
{
    public void Execute(IServiceProvider serviceProvider) { }
}
