extern alias PluginsAssembly;

using System.Reflection;
using System.ServiceModel;
using EmergencySolution.CustomApis;
using EmergencySolution.Plugins;
using PluginsAssembly::EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Runtime;

/// <summary>
/// Shared/Runtime/PluginBase through a test-only plugin derived from the Plugins assembly's public copy (extern alias
/// PluginsAssembly: the same source is compiled into the CustomApis assembly too), and the shape of every registered class.
/// </summary>
[TestClass]
public sealed class PluginBaseTests
{
    private static readonly Guid CallingUserId = new("a1b2c3d4-0000-4000-8000-000000000001");
    private static readonly Guid InitiatingUserId = new("a1b2c3d4-0000-4000-8000-000000000002");
    private static readonly Guid CorrelationId = new("a1b2c3d4-0000-4000-8000-0000000000cc");

    private readonly FakeTracingService _tracing = new();
    private readonly FakeServiceFactory _factory = new();

    [TestMethod]
    public void Execute_Services_ResolvedForCallingInitiatingAndSystemUser()
    {
        LocalPluginContext? seen = null;
        var plugin = new DelegatePlugin(context => seen = context);

        plugin.Execute(Provider());

        Assert.IsNotNull(seen);
        Assert.AreEqual(CallingUserId, ((UserBoundService)seen.UserService).UserId);
        Assert.AreEqual(InitiatingUserId, ((UserBoundService)seen.InitiatingUserService).UserId);
        Assert.IsNull(((UserBoundService)seen.SystemService).UserId);
        Assert.AreSame(_tracing, seen.TracingService);
        Assert.AreEqual(20, seen.ExecutionContext.Stage);
    }

    [TestMethod]
    public void Execute_ServicesNotUsed_FactoryNeverCalled()
    {
        new DelegatePlugin(_ => { }).Execute(Provider());

        Assert.AreEqual(0, _factory.RequestedUserIds.Count);
    }

    [TestMethod]
    public void Execute_ServiceUsedTwice_CreatedOnce()
    {
        IOrganizationService? first = null;
        IOrganizationService? second = null;
        var plugin = new DelegatePlugin(context =>
        {
            first = context.UserService;
            second = context.UserService;
            _ = context.SystemService;
            _ = context.SystemService;
        });

        plugin.Execute(Provider());

        Assert.AreSame(first, second);
        CollectionAssert.AreEqual(new Guid?[] { CallingUserId, null }, _factory.RequestedUserIds);
    }

    [TestMethod]
    public void Execute_OrganizationServiceFault_WrappedWithFaultMessage()
    {
        var fault = new FaultException<OrganizationServiceFault>(
            new OrganizationServiceFault { ErrorCode = unchecked((int)0x80040217), Message = "systemuser With Id = 1 Does Not Exist" },
            new FaultReason("systemuser With Id = 1 Does Not Exist"));
        var plugin = new DelegatePlugin(_ => throw fault);

        var thrown = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => plugin.Execute(Provider()));

        Assert.AreEqual("DelegatePlugin failed: systemuser With Id = 1 Does Not Exist", thrown.Message);
        // The raw fault is not attached: its text may quote row values the message had to redact.
        Assert.IsNull(thrown.InnerException);
        Assert.IsTrue(_tracing.Lines.Any(line => line.Contains("0x80040217", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Execute_InvalidPluginExecutionException_RethrownUnchanged()
    {
        var original = new InvalidPluginExecutionException("Enter at least one recipient.");
        var plugin = new DelegatePlugin(_ => throw original);

        var thrown = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => plugin.Execute(Provider()));

        Assert.AreSame(original, thrown);
    }

    [TestMethod]
    public void Execute_FaultQuotingAPhoneNumber_NumberRedactedFromTraceAndMessage()
    {
        var text = "Duplicate emc_number '+1 206 555 0100' for emc_callbacknumber";
        var fault = new FaultException<OrganizationServiceFault>(
            new OrganizationServiceFault { ErrorCode = unchecked((int)0x80040237), Message = text }, new FaultReason(text));
        var plugin = new DelegatePlugin(_ => throw fault);

        var thrown = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => plugin.Execute(Provider()));

        StringAssert.Contains(thrown.Message, "[digits removed]");
        Assert.IsFalse(thrown.Message.Contains("555", StringComparison.Ordinal), thrown.Message);
        Assert.IsFalse(_tracing.Lines.Any(line => line.Contains("555", StringComparison.Ordinal)), string.Join("\n", _tracing.Lines));
    }

    [TestMethod]
    public void RegisteredClasses_EveryPluginAndApi_DerivesFromItsAssemblysPluginBaseWithThePlatformsConstructorsAndNoFields()
    {
        var assemblies = new[] { typeof(CallHistoryGuardPlugin).Assembly, typeof(StartEmergencyCallApi).Assembly };
        var registered = assemblies.SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => typeof(IPlugin).IsAssignableFrom(type) && !type.IsAbstract).ToList();

        Assert.AreEqual(15, registered.Count, string.Join(", ", registered.Select(type => type.Name)));
        foreach (var type in registered)
        {
            Assert.AreEqual("EmergencySolution.Runtime.PluginBase", type.BaseType?.FullName, type.Name);
            Assert.AreSame(type.Assembly, type.BaseType!.Assembly, type.Name + ": its own assembly's PluginBase");
            Assert.IsNotNull(type.GetConstructor(Type.EmptyTypes), type.Name + ": parameterless constructor");
            Assert.IsNotNull(type.GetConstructor(new[] { typeof(string), typeof(string) }), type.Name + ": (unsecure, secure) constructor");
            // The platform reuses one instance across threads: no per-execution state in fields.
            Assert.AreEqual(0, type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length, type.Name);
        }
    }

    [TestMethod]
    public void Execute_Timeout_WrappedAsInvalidPluginExecution()
    {
        var plugin = new DelegatePlugin(_ => throw new TimeoutException("The request channel timed out."));

        var thrown = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => plugin.Execute(Provider()));

        Assert.AreEqual("DelegatePlugin timed out: The request channel timed out.", thrown.Message);
        Assert.IsNull(thrown.InnerException);
    }

    [TestMethod]
    public void Execute_OtherException_PropagatesUnwrapped()
    {
        var plugin = new DelegatePlugin(_ => throw new InvalidOperationException("bug"));

        Assert.ThrowsExactly<InvalidOperationException>(() => plugin.Execute(Provider()));
    }

    [TestMethod]
    public void Execute_Start_TracesPluginMessageEntityStageDepthAndCorrelation()
    {
        new DelegatePlugin(context => context.Trace("work {0}", 1)).Execute(Provider());

        Assert.AreEqual(2, _tracing.Lines.Count);
        Assert.AreEqual($"DelegatePlugin: Update of systemuser, stage 20, depth 1, correlation {CorrelationId}.", _tracing.Lines[0]);
        Assert.AreEqual("work 1", _tracing.Lines[1]);
    }

    [TestMethod]
    public void Execute_TracingServiceMissing_ThrowsNamingIt()
    {
        var provider = new FakeServiceProvider()
            .With<IPluginExecutionContext>(Context())
            .With<IOrganizationServiceFactory>(_factory);

        var thrown = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => new DelegatePlugin(_ => { }).Execute(provider));

        StringAssert.Contains(thrown.Message, nameof(ITracingService));
    }

    [TestMethod]
    public void Execute_NullServiceProvider_ThrowsInvalidPluginExecution()
    {
        Assert.ThrowsExactly<InvalidPluginExecutionException>(() => new DelegatePlugin(_ => { }).Execute(null!));
    }

    [TestMethod]
    public void Constructor_Configurations_AreKept()
    {
        var plugin = new DelegatePlugin(_ => { }, "{\"unsecure\":1}", "secret");

        Assert.AreEqual("{\"unsecure\":1}", plugin.Unsecure);
        Assert.AreEqual("secret", plugin.Secure);
    }

    private FakeServiceProvider Provider() => new FakeServiceProvider()
        .With<IPluginExecutionContext>(Context())
        .With<IOrganizationServiceFactory>(_factory)
        .With<ITracingService>(_tracing);

    private static FakePluginExecutionContext Context() => new()
    {
        UserId = CallingUserId,
        InitiatingUserId = InitiatingUserId,
        CorrelationId = CorrelationId,
    };

    /// <summary>The smallest plugin on PluginBase: runs the given action as its work.</summary>

}

internal sealed class DelegatePlugin : PluginBase
{
    private readonly Action<LocalPluginContext> _work;

    public DelegatePlugin(Action<LocalPluginContext> work, string? unsecure = null, string? secure = null)
        : base(unsecure, secure)
    {
        _work = work;
    }

    public string? Unsecure => UnsecureConfiguration;

    public string? Secure => SecureConfiguration;

    protected override void ExecuteCore(LocalPluginContext context) => _work(context);
}
