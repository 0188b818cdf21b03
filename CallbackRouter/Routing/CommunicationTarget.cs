using System.Text.Json.Nodes;

namespace EmergencySolution.CallbackRouter.Routing;

/// <summary>
/// A redirect target in the Call Automation wire format (CommunicationIdentifierModel): kind, rawId and the one
/// kind-specific member. Built from the raw identifier strings ACS uses: "4:+14255550100" (phone number),
/// "8:acs:…" (Communication Services user), "8:orgid:…", "8:gcch:…", "8:dod:…" (Teams user in the public,
/// GCC High and DoD clouds).
/// </summary>
public sealed class CommunicationTarget
{
    private CommunicationTarget(string kind, string rawId, JsonObject member, bool isPhoneNumber)
    {
        Kind = kind;
        RawId = rawId;
        Member = member;
        IsPhoneNumber = isPhoneNumber;
    }

    public string Kind { get; }

    public string RawId { get; }

    /// <summary>True for a phone number; logs describe such a target by kind only.</summary>
    public bool IsPhoneNumber { get; }

    private JsonObject Member { get; }

    /// <summary>Parses a raw identifier, or returns null with the reason (which never repeats a phone number's digits).</summary>
    public static CommunicationTarget? TryParse(string? raw, out string problem)
    {
        problem = string.Empty;
        var value = raw?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            problem = "it is empty";
            return null;
        }

        if (value.StartsWith("4:", StringComparison.Ordinal) || value.StartsWith('+'))
        {
            var number = value.StartsWith("4:", StringComparison.Ordinal) ? value[2..] : value;
            if (number.Length < 2 || number[0] != '+' || !number[1..].All(char.IsAsciiDigit) || number.Length > 16)
            {
                problem = "a phone number target must be E.164: '+' and 1 to 15 digits";
                return null;
            }

            return PhoneNumber(number);
        }

        if (value.StartsWith("8:acs:", StringComparison.Ordinal) && value.Length > "8:acs:".Length)
        {
            return new CommunicationTarget("communicationUser", value, new JsonObject { ["communicationUser"] = new JsonObject { ["id"] = value } }, false);
        }

        foreach (var (prefix, cloud) in TeamsPrefixes)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParse(value[prefix.Length..], out var objectId))
            {
                return TeamsUser(objectId, cloud);
            }
        }

        problem = "it is neither a phone number (4:+…), a Communication Services user (8:acs:…) nor a Teams user (8:orgid:<object id>)";
        return null;
    }

    public static CommunicationTarget PhoneNumber(string e164) =>
        new("phoneNumber", "4:" + e164, new JsonObject { ["phoneNumber"] = new JsonObject { ["value"] = e164 } }, true);

    public static CommunicationTarget TeamsUser(Guid entraObjectId, string cloud = "public")
    {
        var prefix = TeamsPrefixes.First(p => p.Cloud == cloud).Prefix;
        var userId = entraObjectId.ToString("D");
        return new CommunicationTarget("microsoftTeamsUser", prefix + userId,
            new JsonObject { ["microsoftTeamsUser"] = new JsonObject { ["userId"] = userId, ["isAnonymous"] = false, ["cloud"] = cloud } }, false);
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["kind"] = Kind, ["rawId"] = RawId };
        foreach (var (name, node) in Member)
        {
            json[name] = node?.DeepClone();
        }

        return json;
    }

    /// <summary>What logs may say about the target: the kind, and the raw id unless it is a phone number.</summary>
    public string Describe() => IsPhoneNumber ? "phoneNumber" : Kind + " " + RawId;

    private static readonly (string Prefix, string Cloud)[] TeamsPrefixes =
    {
        ("8:orgid:", "public"),
        ("8:gcch:", "gcch"),
        ("8:dod:", "dod"),
    };
}
