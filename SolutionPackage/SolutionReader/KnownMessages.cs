using System;
using System.Collections.Generic;

namespace EmergencySolution.SolutionReader
{
    /// <summary>
    /// The SDK messages our steps may use, by their fixed ids (the same in every org), and what each message allows.
    /// An id that is not listed here is an error: every reader of the step files maps id to name with this table.
    /// </summary>
    public static class KnownMessages
    {
        public static readonly Guid CreateId = new Guid("9ebdbb1b-ea3e-db11-86a7-000a3a5473e8");
        public static readonly Guid UpdateId = new Guid("20bebb1b-ea3e-db11-86a7-000a3a5473e8");

        public static readonly IReadOnlyDictionary<Guid, MessageRules> ById = new Dictionary<Guid, MessageRules>
        {
            // Create has no row before the operation, so only a post-image, keyed by the created id.
            [CreateId] = new MessageRules("Create", AllowsPreImage: false, AllowsPostImage: true, AllowsFilteringAttributes: false, ImageMessagePropertyName: "Id"),
            [UpdateId] = new MessageRules("Update", AllowsPreImage: true, AllowsPostImage: true, AllowsFilteringAttributes: true, ImageMessagePropertyName: "Target"),
        };
    }

    public sealed record MessageRules(string Name, bool AllowsPreImage, bool AllowsPostImage, bool AllowsFilteringAttributes, string ImageMessagePropertyName);
}
