using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using EmergencySolution.CallbackRouter.Routing;
using EmergencySolution.Privacy;

namespace EmergencySolution.CallbackRouter.Webhook;

/// <summary>
/// One POST from Event Grid, parsed with Azure.Messaging.EventGrid: an array of events in the Event Grid schema, or
/// in the CloudEvents 1.0 schema. Either the delivery is a subscription validation (answered with its code), or it
/// carries IncomingCall events. Event types the router does not handle are skipped. A delivery that cannot be read,
/// or an IncomingCall without what a redirect needs, makes the whole delivery malformed: nothing of it is acted on.
/// A delivery with more events than the configured cap is refused whole, before any event is read.
/// Whatever of a delivery is kept or logged (the correlationId, an event type in a refusal) is at most
/// <see cref="MaxKeptIdLength"/> printable characters: a longer or odd value is kept as a digest of itself.
/// </summary>
public sealed class EventGridDelivery
{
    /// <summary>ACS correlation ids are GUIDs (36 characters); this leaves room without letting a caller fill logs.</summary>
    public const int MaxKeptIdLength = 64;

    private EventGridDelivery(string? validationCode, IReadOnlyList<IncomingCall> calls, int skippedEvents)
    {
        ValidationCode = validationCode;
        Calls = calls;
        SkippedEvents = skippedEvents;
    }

    public string? ValidationCode { get; }

    public IReadOnlyList<IncomingCall> Calls { get; }

    public int SkippedEvents { get; }

    /// <summary>Parses a delivery, or throws <see cref="MalformedDeliveryException"/> saying what is wrong (never quoting a number).</summary>
    public static EventGridDelivery Parse(BinaryData body, int maxEvents)
    {
        var events = ReadEvents(body, maxEvents);
        if (events.Count == 0)
        {
            throw new MalformedDeliveryException("the delivery holds no event");
        }

        string? validationCode = null;
        var calls = new List<IncomingCall>();
        var skipped = 0;
        for (var index = 0; index < events.Count; index++)
        {
            var (id, type, tryGetData) = events[index];
            object? data;
            var handledType = type is SystemEventNames.AcsIncomingCall or SystemEventNames.EventGridSubscriptionValidation;
            try
            {
                if (!tryGetData(out data) && !handledType)
                {
                    skipped++;
                    continue;
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
            {
                throw new MalformedDeliveryException($"event {index} ({KeptId(type)}) has data that does not match its type: {exception.GetType().Name}");
            }

            switch (data)
            {
                case SubscriptionValidationEventData validation when !string.IsNullOrEmpty(validation.ValidationCode):
                    validationCode = validation.ValidationCode;
                    break;
                case SubscriptionValidationEventData:
                    throw new MalformedDeliveryException($"event {index} is a subscription validation without a validationCode");
                case AcsIncomingCallEventData incoming:
                    calls.Add(ToIncomingCall(index, id, incoming));
                    break;
                default:
                    if (handledType)
                    {
                        throw new MalformedDeliveryException($"event {index} ({KeptId(type)}) has data that is not an object of that type");
                    }

                    skipped++;
                    break;
            }
        }

        return new EventGridDelivery(validationCode, calls, skipped);
    }

    private static IncomingCall ToIncomingCall(int index, string id, AcsIncomingCallEventData incoming)
    {
        if (string.IsNullOrWhiteSpace(incoming.IncomingCallContext))
        {
            throw new MalformedDeliveryException($"IncomingCall event {index} has no incomingCallContext");
        }

        if (string.IsNullOrWhiteSpace(incoming.CorrelationId))
        {
            throw new MalformedDeliveryException($"IncomingCall event {index} has no correlationId");
        }

        if (incoming.ToCommunicationIdentifier is null || (string.IsNullOrEmpty(incoming.ToCommunicationIdentifier.RawId) && incoming.ToCommunicationIdentifier.PhoneNumber is null))
        {
            throw new MalformedDeliveryException($"IncomingCall event {index} has no 'to'");
        }

        return new IncomingCall(KeptId(incoming.CorrelationId), PhoneNumberOf(incoming.ToCommunicationIdentifier),
            PhoneNumberOf(incoming.FromCommunicationIdentifier), incoming.IncomingCallContext);
    }

    /// <summary>
    /// The form of a caller-chosen id that the router keeps and logs: the id itself when it is short printable ASCII
    /// (a GUID is), otherwise "sha256:" and the first 32 hex digits of its hash, the same for the same id, so
    /// duplicates are still recognised and the call is still routed.
    /// </summary>
    public static string KeptId(string? id)
    {
        id ??= string.Empty;
        if (id.Length is > 0 and <= MaxKeptIdLength && id.All(c => c is > ' ' and <= '~'))
        {
            return id;
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)), 0, 16);
    }

    /// <summary>The E.164 number of a phone-number identifier (phoneNumber.value, or a "4:" raw id); null for any other kind.</summary>
    internal static string? PhoneNumberOf(CommunicationIdentifierModel? identifier)
    {
        var raw = identifier?.PhoneNumber?.Value;
        if (string.IsNullOrEmpty(raw) && identifier?.RawId is { } rawId && rawId.StartsWith("4:", StringComparison.Ordinal))
        {
            raw = rawId[2..];
        }

        return string.IsNullOrEmpty(raw) ? null : PhoneNumberPrivacy.ToE164(raw);
    }

    private delegate bool TryGetSystemEventData(out object? data);

    private static List<(string Id, string Type, TryGetSystemEventData TryGetData)> ReadEvents(BinaryData body, int maxEvents)
    {
        JsonValueKind rootKind;
        bool cloudEvents;
        try
        {
            using var document = JsonDocument.Parse(body.ToMemory());
            rootKind = document.RootElement.ValueKind;
            if (rootKind == JsonValueKind.Array && document.RootElement.GetArrayLength() > maxEvents)
            {
                throw new DeliveryTooLargeException($"the delivery holds {document.RootElement.GetArrayLength()} events; at most {maxEvents} are accepted (CallbackRouter:Webhook:MaxEventsPerDelivery)");
            }

            var first = rootKind == JsonValueKind.Array && document.RootElement.GetArrayLength() > 0 ? document.RootElement[0] : document.RootElement;
            cloudEvents = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("specversion", out _);
        }
        catch (JsonException)
        {
            throw new MalformedDeliveryException("the body is not JSON");
        }

        if (rootKind is not (JsonValueKind.Array or JsonValueKind.Object))
        {
            throw new MalformedDeliveryException("the body is neither an event nor an array of events");
        }

        try
        {
            if (cloudEvents)
            {
                return CloudEvent.ParseMany(body, skipValidation: false)
                    .Select(e => (e.Id, e.Type, (TryGetSystemEventData)((out object? d) => e.TryGetSystemEventData(out d))))
                    .ToList();
            }

            return EventGridEvent.ParseMany(body)
                .Select(e => (e.Id, e.EventType, (TryGetSystemEventData)((out object? d) => e.TryGetSystemEventData(out d))))
                .ToList();
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException or NullReferenceException)
        {
            throw new MalformedDeliveryException("the events are not in the Event Grid or CloudEvents schema: " + exception.GetType().Name);
        }
    }
}

/// <summary>A delivery over a documented limit (events per delivery); answered 413, which Event Grid does not retry.</summary>
public sealed class DeliveryTooLargeException : Exception
{
    public DeliveryTooLargeException(string message)
        : base(message)
    {
    }
}

public sealed class MalformedDeliveryException : Exception
{
    public MalformedDeliveryException(string message)
        : base(message)
    {
    }
}
