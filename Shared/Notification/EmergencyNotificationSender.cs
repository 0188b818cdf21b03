using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.ServiceModel;
using EmergencySolution.Configuration;
using EmergencySolution.Guards;
using EmergencySolution.Model;
using EmergencySolution.Privacy;
using EmergencySolution.Recipients;
using EmergencySolution.Runtime;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace EmergencySolution.Notification
{
    /// <summary>
    /// Sends the emergency-call notification for one new call in 7 requests, one at a time (no batch request types):
    /// (1) the configuration, for the template title (falls back to the shipped title when it cannot be read); (2) the
    /// call joined to its agent, the agent's time zone and the callback number; (3) the template by title;
    /// (4) InstantiateTemplate; (5) the email Create; (6) SendEmail; (7) the call marked Sent.
    /// Any failure is written to the call (status Failed and the reason) in a write of its own (+1), and goes no further;
    /// an email created but not sent is deleted first (+1), so no draft with the call's numbers is left behind. A failed
    /// "Sent" write is written once more (+1): the email went out, and the call must say so.
    /// </summary>
    /// <remarks>
    /// The email's id is the call's id: the clean-up finds the stored copy without a column of its own
    /// (<see cref="Pool.ExpiredLeaseReleaser"/>), and a second attempt for the same call cannot create a second email.
    /// </remarks>
    internal sealed class EmergencyNotificationSender
    {
        public const string TemplateObjectType = "systemuser";

        /// <summary>The step's post image: the call's notification status and agent.</summary>
        public const string PostImageName = "PostImage";

        /// <summary>
        /// The text sent when the template cannot be rendered (its data, its privileges): what a recipient needs to
        /// know, no markup beyond a table. Like the template, it carries only literal markup and tokens, so every
        /// value in it is one the token renderer HTML-encodes.
        /// </summary>
        internal static readonly string BuiltInSubject = "Emergency call: " + EmergencyTokenRenderer.Token(EmergencyTokenRenderer.AgentName) +
            " dialed " + EmergencyTokenRenderer.Token(EmergencyTokenRenderer.DialedNumber) + " in " + EmergencyTokenRenderer.Token(EmergencyTokenRenderer.CountryName);

        internal static readonly string BuiltInBody = "<p>An agent placed an emergency call.</p><table>" +
            string.Concat(new[]
            {
                new[] { "Agent", EmergencyTokenRenderer.AgentName }, new[] { "Agent's email", EmergencyTokenRenderer.AgentEmail },
                new[] { "Time", EmergencyTokenRenderer.CallTimeUtc }, new[] { "Agent's time", EmergencyTokenRenderer.CallTimeLocal },
                new[] { "Dialed", EmergencyTokenRenderer.DialedNumber }, new[] { "Country", EmergencyTokenRenderer.CountryName }, new[] { "Location", EmergencyTokenRenderer.Location },
                new[] { "Callback number", EmergencyTokenRenderer.CallbackNumber }, new[] { "Callback until", EmergencyTokenRenderer.CallbackExpiresUtc },
                new[] { "How a callback reaches the agent", EmergencyTokenRenderer.CallbackDetails },
                new[] { "Emergency call", EmergencyTokenRenderer.EmergencyCallId },
            }.Select(row => "<tr><td>" + row[0] + "</td><td>" + EmergencyTokenRenderer.Token(row[1]) + "</td></tr>")) + "</table>";

        private const string AgentAlias = "agent";
        private const string CallbackAlias = "callback";
        private const int MaxErrorLength = 2000;

        private static readonly Dictionary<string, string> CountryNames = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["US"] = "United States",
            ["PR"] = "Puerto Rico",
            ["CA"] = "Canada",
            ["GB"] = "United Kingdom",
            ["DK"] = "Denmark",
        };

        private readonly IOrganizationService _system;
        private readonly IOrganizationService _sender;
        private readonly ITracingService _tracing;

        /// <param name="systemService">Reads and the failure record.</param>
        /// <param name="senderService">Runs as the agent who started the call: renders the template and sends the email from their mailbox.</param>
        public EmergencyNotificationSender(IOrganizationService systemService, IOrganizationService senderService, ITracingService tracing)
        {
            _system = systemService;
            _sender = senderService;
            _tracing = tracing;
        }

        /// <summary>
        /// The step (emc_emergencycall Create, PostOperation, asynchronous): sends the notification of a call that Start
        /// queued it for. A call whose post-image says it was not queued costs 0 round trips. Failures are recorded on
        /// the call and never rethrown: a retried async job would send the email twice.
        /// </summary>
        public static void SendForNewCall(LocalPluginContext context, string stepName)
        {
            if (!EmergencyCallWriteOrigin.IsNewCallFromStart(context, stepName))
            {
                return;
            }

            var execution = context.ExecutionContext;
            Guid? agentId = null;
            if (execution.PostEntityImages.Contains(PostImageName))
            {
                var image = execution.PostEntityImages[PostImageName];
                var status = image.GetAttributeValue<OptionSetValue>(EmergencyCall.NotificationStatus);
                if (status == null || status.Value != NotificationStatusValue.Queued)
                {
                    context.Trace("Notification: not queued for this call (status {0}); nothing to send.", status?.Value.ToString() ?? "none");
                    return;
                }

                agentId = image.GetAttributeValue<EntityReference>(EmergencyCall.AgentId)?.Id;
            }

            // The template renders and the email goes out as the call's agent, from their mailbox. That is the
            // initiating user when the agent started the call from the panel, but not when the server trigger started
            // it from the telephony context row: Microsoft does not document which initiating user that child pipeline
            // gets (it may be the identity that wrote the row), so the agent is named explicitly.
            var sender = agentId is { } agent && agent != Guid.Empty ? context.ServiceFor(agent) : context.InitiatingUserService;
            new EmergencyNotificationSender(context.SystemService, sender, context.TracingService)
                .Send(execution.PrimaryEntityId);
        }

        /// <returns>The status written to the call.</returns>
        public int Send(Guid emergencyCallId)
        {
            try
            {
                return SendCore(emergencyCallId);
            }
            catch (NotificationFailure failure)
            {
                return RecordFailure(emergencyCallId, failure.Message);
            }
            catch (TimeoutException exception)
            {
                return RecordFailure(emergencyCallId, "The email could not be sent in time: " + exception.Message);
            }
            catch (InvalidPluginExecutionException exception)
            {
                return RecordFailure(emergencyCallId, "The email could not be sent: " + exception.Message);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                // A rethrown exception would make the platform retry the job and perhaps send twice; record it instead.
                return RecordFailure(emergencyCallId, "The email could not be sent: " + ServiceFailures.Describe(exception));
            }
        }

        private int SendCore(Guid emergencyCallId)
        {
            var configuration = LoadConfigurationOrDefaults();
            var call = ReadCallWithAgent(emergencyCallId);
            var agent = call.GetAttributeValue<EntityReference>(EmergencyCall.AgentId)
                ?? throw new NotificationFailure("The call has no agent, so there is no sender.");
            var recipients = RecipientList.Normalize(Aliased<string>(call, AgentAlias, SystemUser.NotificationRecipients));
            if (recipients.Addresses.Count == 0)
            {
                // The list was emptied after the call started: nothing to send, and nothing failed.
                _system.Update(new Entity(EmergencyCall.EntityName, emergencyCallId)
                {
                    [EmergencyCall.NotificationStatus] = new OptionSetValue(NotificationStatusValue.NotConfigured),
                });
                _tracing.Trace("Notification: no recipients configured for the agent; status Not configured.");
                return NotificationStatusValue.NotConfigured;
            }

            var templateId = FindTemplateId(configuration.NotificationTemplateTitle);
            var rendered = RenderTemplateOrBuiltIn(templateId, agent.Id, configuration.NotificationTemplateTitle);
            var values = BuildTokenValues(call, emergencyCallId);
            var subject = EmergencyTokenRenderer.Render(rendered.Subject, values, false, out var unknownInSubject);
            var body = EmergencyTokenRenderer.Render(rendered.Body, values, true, out var unknownInBody);
            foreach (var name in unknownInSubject.Concat(unknownInBody).Distinct())
            {
                _tracing.Trace("Notification: the template uses the unknown token {{{{emc:{0}}}}}; it is left as it is.", name);
            }

            SendEmail(emergencyCallId, agent.Id, recipients.Addresses, subject, body);
            RecordSent(emergencyCallId, rendered.Problem);
            _tracing.Trace("Notification: email sent to {0} recipient(s); status Sent.", recipients.Addresses.Count);
            return NotificationStatusValue.Sent;
        }

        private EmergencyConfiguration LoadConfigurationOrDefaults()
        {
            try
            {
                return EmergencyConfiguration.Load(_system, _tracing);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                // Only the template title comes from the configuration: the shipped one is the best guess.
                _tracing.Trace("Notification: the settings could not be read ({0}); the shipped template title is used.", ServiceFailures.Describe(exception));
                return EmergencyConfiguration.Defaults;
            }
        }

        private Entity ReadCallWithAgent(Guid emergencyCallId)
        {
            try
            {
                return _system.RetrieveMultiple(BuildCallQuery(emergencyCallId)).Entities.FirstOrDefault()
                    ?? throw new NotificationFailure("Emergency call " + emergencyCallId + " no longer exists.");
            }
            catch (Exception exception) when (!(exception is NotificationFailure) && ServiceFailures.IsRecoverable(exception))
            {
                throw new NotificationFailure("The call and its agent could not be read: " + ServiceFailures.Describe(exception) + ".");
            }
        }

        private Guid FindTemplateId(string templateTitle)
        {
            var templateQuery = new QueryExpression("template")
            {
                ColumnSet = new ColumnSet("templateid", "title"),
                TopCount = 1,
            };
            templateQuery.Criteria.AddCondition("title", ConditionOperator.Equal, templateTitle);
            var template = _system.RetrieveMultiple(templateQuery).Entities.FirstOrDefault()
                ?? throw new NotificationFailure("The email template \"" + templateTitle +
                    "\" does not exist. Import the solution's template, or set emc_NotificationTemplateTitle to the title of an existing one.");
            return template.Id;
        }

        /// <summary>The template's subject and body with its tokens still in them, or the built-in text and why.</summary>
        private RenderedTemplate RenderTemplateOrBuiltIn(Guid templateId, Guid agentId, string templateTitle)
        {
            var instantiate = new OrganizationRequest("InstantiateTemplate")
            {
                ["TemplateId"] = templateId,
                ["ObjectType"] = TemplateObjectType,
                ["ObjectId"] = agentId,
            };
            try
            {
                var instantiated = _sender.Execute(instantiate);
                var draft = (instantiated.Results.Contains("EntityCollection") ? instantiated.Results["EntityCollection"] as EntityCollection : null)
                    ?.Entities.FirstOrDefault()
                    ?? throw new NotificationFailure("the template rendered no email");
                return new RenderedTemplate(draft.GetAttributeValue<string>("subject"), draft.GetAttributeValue<string>("description"), null);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                // The recipients must still hear of the call: the built-in text carries every token. Record why.
                var problem = "Sent with the built-in text: the email template \"" + templateTitle +
                    "\" could not be rendered (" + (exception is NotificationFailure ? exception.Message : ServiceFailures.Describe(exception)) + ").";
                _tracing.Trace("Notification: {0}", problem);
                return new RenderedTemplate(BuiltInSubject, BuiltInBody, problem);
            }
        }

        private void SendEmail(Guid emailId, Guid agentId, IEnumerable<string> addresses, string subject, string body)
        {
            // The email's id is the call's id, so the clean-up finds the stored copy without a column of its own.
            var email = new Entity("email", emailId)
            {
                ["activityid"] = emailId,
                ["subject"] = subject.Length <= 200 ? subject : subject.Substring(0, 200),
                ["description"] = body,
                ["directioncode"] = true,
                ["from"] = new EntityCollection(new List<Entity>
                {
                    new Entity("activityparty") { ["partyid"] = new EntityReference(SystemUser.EntityName, agentId) },
                }),
                ["to"] = new EntityCollection(addresses
                    .Select(address => new Entity("activityparty") { ["addressused"] = address })
                    .ToList()),
            };

            _sender.Create(email);
            try
            {
                _sender.Execute(new OrganizationRequest("SendEmail") { ["EmailId"] = emailId, ["IssueSend"] = true, ["TrackingToken"] = string.Empty });
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                // Not sent: the draft carries the call's numbers and location, so it goes before the failure is recorded.
                DeleteDraft(emailId);
                throw new NotificationFailure("The email could not be sent: " + ServiceFailures.Describe(exception));
            }
        }

        private void RecordSent(Guid emergencyCallId, string? templateProblem)
        {
            var sent = new Entity(EmergencyCall.EntityName, emergencyCallId)
            {
                [EmergencyCall.NotificationStatus] = new OptionSetValue(NotificationStatusValue.Sent),
                [EmergencyCall.NotificationError] = templateProblem == null ? null : PhoneNumberPrivacy.Redact(templateProblem),
            };
            try
            {
                _system.Update(sent);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                // The email went out; the call must not say otherwise. Once more, then the trace keeps it.
                _tracing.Trace("Notification: the email went out but Sent could not be written ({0}); writing it again.", ServiceFailures.Describe(exception));
                _system.Update(sent);
            }
        }

        private sealed class RenderedTemplate
        {
            public RenderedTemplate(string? subject, string? body, string? problem)
            {
                Subject = subject;
                Body = body;
                Problem = problem;
            }

            public string? Subject { get; }

            public string? Body { get; }

            /// <summary>Why the built-in text was used instead of the template; null when the template rendered.</summary>
            public string? Problem { get; }
        }

        internal static QueryExpression BuildCallQuery(Guid emergencyCallId)
        {
            var query = new QueryExpression(EmergencyCall.EntityName)
            {
                ColumnSet = new ColumnSet(EmergencyCall.AgentId, EmergencyCall.DialedNumber, EmergencyCall.CountryCode,
                    EmergencyCall.Location, EmergencyCall.StartedOn, EmergencyCall.CallbackExpiresOn, EmergencyCall.CallbackNumberId,
                    EmergencyCall.CallbackDetails),
                TopCount = 1,
            };
            query.Criteria.AddCondition(EmergencyCall.Id, ConditionOperator.Equal, emergencyCallId);

            var agent = query.AddLink(SystemUser.EntityName, EmergencyCall.AgentId, SystemUser.Id, JoinOperator.LeftOuter);
            agent.EntityAlias = AgentAlias;
            agent.Columns = new ColumnSet(SystemUser.FullName, SystemUser.InternalEmailAddress, SystemUser.NotificationRecipients);
            AgentTimeZoneLinks.AddTo(agent);

            var callback = query.AddLink(CallbackNumber.EntityName, EmergencyCall.CallbackNumberId, CallbackNumber.Id, JoinOperator.LeftOuter);
            callback.EntityAlias = CallbackAlias;
            callback.Columns = new ColumnSet(CallbackNumber.Number);
            return query;
        }

        private static Dictionary<string, string> BuildTokenValues(Entity call, Guid emergencyCallId)
        {
            var startedOn = AsUtc(call.GetAttributeValue<DateTime?>(EmergencyCall.StartedOn));
            var hasCallback = call.GetAttributeValue<EntityReference>(EmergencyCall.CallbackNumberId) != null;
            var callbackNumber = hasCallback ? Aliased<string>(call, CallbackAlias, CallbackNumber.Number) : null;
            var expiresOn = hasCallback ? AsUtc(call.GetAttributeValue<DateTime?>(EmergencyCall.CallbackExpiresOn)) : null;
            var zoneName = Aliased<string>(call, AgentTimeZoneLinks.TimeZoneAlias, TimeZoneDefinition.StandardName);
            var zone = FindTimeZone(zoneName);
            var country = call.GetAttributeValue<string>(EmergencyCall.CountryCode) ?? string.Empty;
            var location = call.GetAttributeValue<string>(EmergencyCall.Location);

            return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [EmergencyTokenRenderer.AgentName] = Aliased<string>(call, AgentAlias, SystemUser.FullName) ?? "An agent",
                [EmergencyTokenRenderer.AgentEmail] = Aliased<string>(call, AgentAlias, SystemUser.InternalEmailAddress) ?? "Not recorded",
                [EmergencyTokenRenderer.CallTimeUtc] = FormatUtc(startedOn),
                [EmergencyTokenRenderer.CallTimeLocal] = FormatLocal(startedOn, zone),
                [EmergencyTokenRenderer.AgentTimeZone] = zone != null ? zoneName! : "unknown (times are UTC)",
                [EmergencyTokenRenderer.DialedNumber] = call.GetAttributeValue<string>(EmergencyCall.DialedNumber) ?? string.Empty,
                [EmergencyTokenRenderer.CountryCode] = country,
                [EmergencyTokenRenderer.CountryName] = CountryNames.TryGetValue(country, out var name) ? name : country,
                [EmergencyTokenRenderer.Location] = string.IsNullOrWhiteSpace(location) ? "Not provided" : location!,
                // A number only where one was leased, which Start does only on a path where the responder sees it
                // (docs/platform.md, section 3); otherwise the statement below says which number the responder has.
                [EmergencyTokenRenderer.CallbackNumber] = string.IsNullOrEmpty(callbackNumber) ? "No number from the callback pool (see below)" : callbackNumber!,
                [EmergencyTokenRenderer.CallbackDetails] = call.GetAttributeValue<string>(EmergencyCall.CallbackDetails) ?? "Not recorded for this call.",
                [EmergencyTokenRenderer.CallbackExpiresUtc] = expiresOn.HasValue ? FormatUtc(expiresOn) : "Not applicable",
                [EmergencyTokenRenderer.CallbackExpiresLocal] = expiresOn.HasValue ? FormatLocal(expiresOn, zone) : "Not applicable",
                [EmergencyTokenRenderer.EmergencyCallId] = emergencyCallId.ToString(),
            };
        }

        private static TimeZoneInfo? FindTimeZone(string? standardName)
        {
            if (string.IsNullOrWhiteSpace(standardName))
            {
                return null;
            }

            try
            {
                // Dataverse stores Windows zone ids ("Pacific Standard Time"); the sandbox runs on Windows, and .NET on
                // Linux maps Windows ids through ICU.
                return TimeZoneInfo.FindSystemTimeZoneById(standardName!);
            }
            catch (TimeZoneNotFoundException)
            {
                return null;
            }
            catch (InvalidTimeZoneException)
            {
                return null;
            }
        }

        private static DateTime? AsUtc(DateTime? value)
        {
            if (!value.HasValue)
            {
                return null;
            }

            return value.Value.Kind == DateTimeKind.Local ? value.Value.ToUniversalTime() : DateTime.SpecifyKind(value.Value, DateTimeKind.Utc);
        }

        private static string FormatUtc(DateTime? value)
        {
            return value.HasValue ? value.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "Unknown";
        }

        private static string FormatLocal(DateTime? value, TimeZoneInfo? zone)
        {
            if (!value.HasValue)
            {
                return "Unknown";
            }

            if (zone == null)
            {
                return FormatUtc(value);
            }

            var local = TimeZoneInfo.ConvertTimeFromUtc(value.Value, zone);
            var label = zone.IsDaylightSavingTime(local) ? zone.DaylightName : zone.StandardName;
            return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + label;
        }

        private static T? Aliased<T>(Entity row, string alias, string attribute)
            where T : class
        {
            return row.GetAttributeValue<AliasedValue>(alias + "." + attribute)?.Value as T;
        }

        private int RecordFailure(Guid emergencyCallId, string reason)
        {
            // Fault texts can echo request values (addresses, numbers): digit runs are removed before the reason is
            // stored or traced.
            var safeReason = PhoneNumberPrivacy.Redact(reason);
            if (safeReason.Length > MaxErrorLength)
            {
                safeReason = safeReason.Substring(0, MaxErrorLength - 1) + "…";
            }

            _tracing.Trace("Notification failed: {0}", safeReason);
            try
            {
                _system.Update(new Entity(EmergencyCall.EntityName, emergencyCallId)
                {
                    [EmergencyCall.NotificationStatus] = new OptionSetValue(NotificationStatusValue.Failed),
                    [EmergencyCall.NotificationError] = safeReason,
                });
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                // Nothing more can be done from here; the trace keeps the reason.
                _tracing.Trace("Notification: the failure could not be recorded on the call: {0}", ServiceFailures.Describe(exception));
            }

            return NotificationStatusValue.Failed;
        }

        private void DeleteDraft(Guid emailId)
        {
            try
            {
                _system.Delete("email", emailId);
            }
            catch (Exception exception) when (ServiceFailures.IsRecoverable(exception))
            {
                _tracing.Trace("Notification: the unsent email could not be deleted: {0}", ServiceFailures.Describe(exception));
            }
        }

        /// <summary>A failure with a message written for the admin who reads it on the call.</summary>
        private sealed class NotificationFailure : Exception
        {
            public NotificationFailure(string message)
                : base(message)
            {
            }
        }
    }
}
