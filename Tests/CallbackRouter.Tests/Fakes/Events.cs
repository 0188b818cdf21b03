using System.Text.Json.Nodes;

namespace EmergencySolution.CallbackRouter.Tests.Fakes;

/// <summary>Event Grid deliveries as ACS and Event Grid send them (Event Grid schema unless stated).</summary>
public static class Events
{
    public static string IncomingCall(string to, string from = "+14255550199", string? correlationId = null, string incomingCallContext = "ctx-opaque-token", string toKind = "phoneNumber") =>
        new JsonArray(IncomingCallEvent(to, from, correlationId ?? Guid.NewGuid().ToString(), incomingCallContext, toKind)).ToJsonString();

    public static JsonObject IncomingCallEvent(string to, string from, string correlationId, string incomingCallContext, string toKind = "phoneNumber") => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/contoso-acs",
        ["subject"] = "/caller/x/recipient/y",
        ["eventType"] = "Microsoft.Communication.IncomingCall",
        ["eventTime"] = "2026-11-25T10:00:00Z",
        ["dataVersion"] = "1.0",
        ["metadataVersion"] = "1",
        ["data"] = IncomingCallData(to, from, correlationId, incomingCallContext, toKind),
    };

    public static JsonObject IncomingCallData(string to, string from, string correlationId, string incomingCallContext, string toKind = "phoneNumber") => new()
    {
        ["to"] = Identifier(to, toKind),
        ["from"] = Identifier(from, "phoneNumber"),
        ["serverCallId"] = "server-call-" + correlationId,
        ["callerDisplayName"] = string.Empty,
        ["incomingCallContext"] = incomingCallContext,
        ["correlationId"] = correlationId,
    };

    public static string CloudEventIncomingCall(string to, string correlationId) => new JsonArray(new JsonObject
    {
        ["specversion"] = "1.0",
        ["id"] = Guid.NewGuid().ToString(),
        ["source"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/contoso-acs",
        ["type"] = "Microsoft.Communication.IncomingCall",
        ["time"] = "2026-11-25T10:00:00Z",
        ["datacontenttype"] = "application/json",
        ["data"] = IncomingCallData(to, "+14255550199", correlationId, "ctx-cloud-event"),
    }).ToJsonString();

    public static string SubscriptionValidation(string code) => new JsonArray(new JsonObject
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/contoso-acs",
        ["subject"] = string.Empty,
        ["eventType"] = "Microsoft.EventGrid.SubscriptionValidationEvent",
        ["eventTime"] = "2026-11-25T10:00:00Z",
        ["dataVersion"] = "2",
        ["metadataVersion"] = "1",
        ["data"] = new JsonObject { ["validationCode"] = code, ["validationUrl"] = "https://rp-eastus2.eventgrid.azure.net/api/subscriptions/x/validate?id=y&t=z" },
    }).ToJsonString();

    private static JsonObject Identifier(string value, string kind) => kind switch
    {
        "phoneNumber" => new JsonObject { ["kind"] = "phoneNumber", ["rawId"] = "4:" + value, ["phoneNumber"] = new JsonObject { ["value"] = value } },
        _ => new JsonObject { ["kind"] = "communicationUser", ["rawId"] = value, ["communicationUser"] = new JsonObject { ["id"] = value } },
    };
}
