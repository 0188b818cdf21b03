using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Support
{
    /// <summary>How an agent's default mailbox is set up in a seed.</summary>
    public enum SeedMailbox
    {
        /// <summary>No mailbox row and no systemuser.defaultmailbox.</summary>
        None,

        /// <summary>Active, enabled for outgoing email via server-side sync, email address approved.</summary>
        EnabledAndApproved,

        /// <summary>Exists, but not enabled for outgoing email (delivery method None).</summary>
        Disabled,

        /// <summary>Enabled for outgoing email, but the email address is pending approval.</summary>
        NotApproved,
    }

    /// <summary>What one seeded agent has. Defaults describe an agent who is ready for an emergency call.</summary>
    public sealed class SeedAgent
    {
        public SeedAgent(Guid id, string fullName)
        {
            Id = id;
            FullName = fullName;
        }

        public Guid Id { get; }

        public string FullName { get; set; }

        public string? Recipients { get; set; }

        public SeedMailbox Mailbox { get; set; } = SeedMailbox.EnabledAndApproved;

        /// <summary>Capacity profiles assigned through the agent's bookable resource; empty = no bookable resource at all.</summary>
        public List<Guid> CapacityProfiles { get; } = new List<Guid>();

        /// <summary>
        /// Whether the agent holds Microsoft's Omnichannel agent role (given to agents with an agent status row, who sign
        /// in to Omnichannel); false shows an agent whose admin forgot it.
        /// </summary>
        public bool HoldsOmnichannelAgentRole { get; set; } = true;

        /// <summary>Current presence on the agent's msdyn_agentstatus row; null = no agent status row.</summary>
        public Guid? CurrentPresenceId { get; set; } = OmnichannelSeed.PresenceAvailable;

        /// <summary>usersettings.timezonecode; null = no usersettings row.</summary>
        public int? TimeZoneCode { get; set; } = OmnichannelSeed.TimeZonePacific;

        /// <summary>Stable ids derived from the agent id, so tests can name the related rows.</summary>
        public Guid MailboxId => Derive(0x01);

        public Guid AgentStatusId => Derive(0x02);

        public Guid BookableResourceId => Derive(0x03);

        internal Guid Derive(byte kind)
        {
            // Byte 9 is the second byte of the fourth group ("8000" in the seed ids); the agent's own digits stay intact.
            var bytes = Id.ToByteArray();
            bytes[9] = kind;
            return new Guid(bytes);
        }
    }

    /// <summary>
    /// Seed rows for an Omnichannel org as the emergency-call features read it: presences (including Do not disturb),
    /// workstreams with capacity profiles (voice outbound, voice inbound, chat, one unused), agents with bookable
    /// resources, agent status rows, user settings with time zones, mailboxes, and a callback number pool per country.
    /// Every id is stable, so tests can name rows; <see cref="Standard"/> gives the named cast below.
    /// </summary>
    public sealed class OmnichannelSeed
    {
        // Presences (msdyn_presence): the out-of-box ids Microsoft documents (contact-center/extend/presence-status-sync),
        // base status values from msdyn_basepresencestatus.
        public static readonly Guid PresenceAvailable = new Guid("f523f628-c07a-e811-8162-000d3aa11f50");
        public static readonly Guid PresenceBusy = new Guid("efdeb843-c07a-e811-8162-000d3aa11f50");
        public static readonly Guid PresenceDoNotDisturb = new Guid("08971864-c07a-e811-8162-000d3aa11f50");
        public static readonly Guid PresenceAway = new Guid("3dacae76-c07a-e811-8162-000d3aa11f50");
        public static readonly Guid PresenceOffline = new Guid("70139190-c07a-e811-8162-000d3aa11f50");
        public const int BaseAvailable = 192360000;
        public const int BaseBusy = 192360001;
        public const int BaseDoNotDisturb = 192360002;
        public const int BaseAway = 192360003;
        public const int BaseOffline = 192360004;

        // Workstreams (msdyn_liveworkstream): direction 0 inbound / 1 outbound; stream source 192370000 voice, 192360000 live chat.
        public static readonly Guid WorkstreamVoiceOutbound = new Guid("a2000000-0000-4000-8000-000000000001");
        public static readonly Guid WorkstreamVoiceInbound = new Guid("a2000000-0000-4000-8000-000000000002");
        public static readonly Guid WorkstreamChat = new Guid("a2000000-0000-4000-8000-000000000003");
        public static readonly Guid WorkstreamVoiceOutboundInactive = new Guid("a2000000-0000-4000-8000-000000000004");
        public const int DirectionInbound = 0;
        public const int DirectionOutbound = 1;
        public const int StreamSourceVoice = 192370000;
        public const int StreamSourceLiveChat = 192360000;

        // Capacity profiles (msdyn_capacityprofile) and the workstreams that use them (msdyn_liveworkstreamcapacityprofile).
        public static readonly Guid ProfileVoiceOutbound = new Guid("a3000000-0000-4000-8000-000000000001");   // voice outbound + voice inbound
        public static readonly Guid ProfileVoiceInboundOnly = new Guid("a3000000-0000-4000-8000-000000000002"); // voice inbound only
        public static readonly Guid ProfileChatOnly = new Guid("a3000000-0000-4000-8000-000000000003");         // live chat only
        public static readonly Guid ProfileUnused = new Guid("a3000000-0000-4000-8000-000000000004");           // no workstream
        public static readonly Guid ProfileInactiveOutbound = new Guid("a3000000-0000-4000-8000-000000000005"); // only an inactive outbound voice workstream

        // Time zones (timezonedefinition.timezonecode → standardname).
        public const int TimeZonePacific = 4;
        public const int TimeZoneGreenwich = 85;
        public const int TimeZoneRomance = 95;

        // The standard cast of agents.
        public static readonly Guid ReadyAgent = new Guid("a4000000-0000-4000-8000-000000000001");
        public static readonly Guid NoProfileAgent = new Guid("a4000000-0000-4000-8000-000000000002");
        public static readonly Guid InboundOnlyAgent = new Guid("a4000000-0000-4000-8000-000000000003");
        public static readonly Guid ChatOnlyAgent = new Guid("a4000000-0000-4000-8000-000000000004");
        public static readonly Guid DisabledMailboxAgent = new Guid("a4000000-0000-4000-8000-000000000005");
        public static readonly Guid NoRecipientsAgent = new Guid("a4000000-0000-4000-8000-000000000006");
        public static readonly Guid UnapprovedMailboxAgent = new Guid("a4000000-0000-4000-8000-000000000007");
        public static readonly Guid NoMailboxAgent = new Guid("a4000000-0000-4000-8000-000000000008");
        public static readonly Guid UnusedProfileAgent = new Guid("a4000000-0000-4000-8000-000000000009");
        public static readonly Guid DndAgent = new Guid("a4000000-0000-4000-8000-00000000000a");
        public static readonly Guid AdminUser = new Guid("a4000000-0000-4000-8000-0000000000ad");

        public const string ReadyAgentRecipients = "supervisor@contoso.com;safety.officer@contoso.com";

        // Callback pool (emc_callbacknumber). US: two free; GB: one free; CA: one whose lease expired (free);
        // DK: one with a live lease (none free); PR: none at all.
        public static readonly Guid CallbackUs1 = new Guid("a5000000-0000-4000-8000-000000000001");
        public static readonly Guid CallbackUs2 = new Guid("a5000000-0000-4000-8000-000000000002");
        public static readonly Guid CallbackGb1 = new Guid("a5000000-0000-4000-8000-000000000003");
        public static readonly Guid CallbackCaExpired = new Guid("a5000000-0000-4000-8000-000000000004");
        public static readonly Guid CallbackDkLeased = new Guid("a5000000-0000-4000-8000-000000000005");

        private readonly List<SeedAgent> _agents = new List<SeedAgent>();
        private readonly List<Entity> _extra = new List<Entity>();
        private readonly List<(Guid Id, string Number, string Country, DateTime? LeaseExpiresOn)> _pool =
            new List<(Guid, string, string, DateTime?)>();

        public OmnichannelSeed(DateTime utcNow)
        {
            UtcNow = utcNow;
        }

        /// <summary>The clock the pool leases are relative to (the organization's UtcNow).</summary>
        public DateTime UtcNow { get; }

        public IReadOnlyList<SeedAgent> Agents => _agents;

        /// <summary>The named cast and pool described on the fields of this class.</summary>
        /// <remarks>Longer than 60 lines: the cast is data, one agent a few lines, kept in one place so a reader sees it whole.</remarks>
        public static OmnichannelSeed Standard(DateTime utcNow)
        {
            var seed = new OmnichannelSeed(utcNow);
            seed.AddAgent(ReadyAgent, "Avery Ready", a =>
            {
                a.CapacityProfiles.Add(ProfileVoiceOutbound);
                a.Recipients = ReadyAgentRecipients;
            });
            seed.AddAgent(NoProfileAgent, "Noor Noprofile", a => a.Recipients = ReadyAgentRecipients);
            seed.AddAgent(InboundOnlyAgent, "Ines Inbound", a =>
            {
                a.CapacityProfiles.Add(ProfileVoiceInboundOnly);
                a.Recipients = ReadyAgentRecipients;
            });
            seed.AddAgent(ChatOnlyAgent, "Chen Chat", a =>
            {
                a.CapacityProfiles.Add(ProfileChatOnly);
                a.Recipients = ReadyAgentRecipients;
            });
            seed.AddAgent(UnusedProfileAgent, "Uma Unused", a =>
            {
                a.CapacityProfiles.Add(ProfileUnused);
                a.CapacityProfiles.Add(ProfileInactiveOutbound);
                a.Recipients = ReadyAgentRecipients;
            });
            seed.AddAgent(DisabledMailboxAgent, "Dana Disabled", a =>
            {
                a.CapacityProfiles.Add(ProfileVoiceOutbound);
                a.Recipients = ReadyAgentRecipients;
                a.Mailbox = SeedMailbox.Disabled;
            });
            seed.AddAgent(UnapprovedMailboxAgent, "Uri Unapproved", a =>
            {
                a.CapacityProfiles.Add(ProfileVoiceOutbound);
                a.Recipients = ReadyAgentRecipients;
                a.Mailbox = SeedMailbox.NotApproved;
            });
            seed.AddAgent(NoMailboxAgent, "Nia Nomailbox", a =>
            {
                a.CapacityProfiles.Add(ProfileVoiceOutbound);
                a.Recipients = ReadyAgentRecipients;
                a.Mailbox = SeedMailbox.None;
            });
            seed.AddAgent(NoRecipientsAgent, "Remy Norecipients", a =>
            {
                a.CapacityProfiles.Add(ProfileVoiceOutbound);
                a.Mailbox = SeedMailbox.None;
            });
            seed.AddAgent(DndAgent, "Drew Dnd", a =>
            {
                a.CapacityProfiles.Add(ProfileVoiceOutbound);
                a.Recipients = ReadyAgentRecipients;
                a.CurrentPresenceId = PresenceDoNotDisturb;
            });
            seed.AddAgent(AdminUser, "Ada Admin", a =>
            {
                a.Mailbox = SeedMailbox.None;
                a.CurrentPresenceId = null;
            });

            seed.AddCallbackNumber(CallbackUs1, "+12025550101", "US");
            seed.AddCallbackNumber(CallbackUs2, "+12025550102", "US");
            seed.AddCallbackNumber(CallbackGb1, "+442079460101", "GB");
            seed.AddCallbackNumber(CallbackCaExpired, "+16135550101", "CA", utcNow.AddMinutes(-5));
            seed.AddCallbackNumber(CallbackDkLeased, "+4570100101", "DK", utcNow.AddMinutes(30));
            return seed;
        }

        public SeedAgent AddAgent(Guid id, string fullName, Action<SeedAgent>? configure = null)
        {
            var agent = new SeedAgent(id, fullName);
            configure?.Invoke(agent);
            _agents.Add(agent);
            return agent;
        }

        public SeedAgent Agent(Guid id) => _agents.Single(a => a.Id == id);

        /// <summary>A pool number; a lease expiry in the future means it is leased (to nobody in particular).</summary>
        public OmnichannelSeed AddCallbackNumber(Guid id, string e164Number, string countryCode, DateTime? leaseExpiresOn = null)
        {
            _pool.Add((id, e164Number, countryCode, leaseExpiresOn));
            return this;
        }

        public OmnichannelSeed RemoveCallbackNumbers(string countryCode)
        {
            _pool.RemoveAll(n => n.Country == countryCode);
            return this;
        }

        /// <summary>Any other row a test needs seeded with the rest.</summary>
        public OmnichannelSeed Add(Entity row)
        {
            _extra.Add(row);
            return this;
        }

        public IEnumerable<Entity> Build()
        {
            var rows = new List<Entity>();
            AddPresences(rows);
            AddTimeZones(rows);
            AddWorkstreamsAndProfiles(rows);
            foreach (var agent in _agents)
            {
                AddAgentRows(rows, agent);
            }

            foreach (var number in _pool)
            {
                var row = new Entity("emc_callbacknumber", number.Id)
                {
                    ["emc_number"] = number.Number,
                    ["emc_countrycode"] = number.Country,
                    ["statecode"] = new OptionSetValue(0),
                    ["statuscode"] = new OptionSetValue(1),
                };
                if (number.LeaseExpiresOn.HasValue)
                {
                    row["emc_leaseexpireson"] = number.LeaseExpiresOn.Value;
                }

                rows.Add(row);
            }

            rows.AddRange(_extra);
            return rows;
        }

        private static void AddPresences(List<Entity> rows)
        {
            rows.Add(Presence(PresenceAvailable, "Available", BaseAvailable));
            rows.Add(Presence(PresenceBusy, "Busy", BaseBusy));
            rows.Add(Presence(PresenceDoNotDisturb, "Do not disturb", BaseDoNotDisturb));
            rows.Add(Presence(PresenceAway, "Away", BaseAway));
            rows.Add(Presence(PresenceOffline, "Offline", BaseOffline));
        }

        private static Entity Presence(Guid id, string name, int baseStatus) => new Entity("msdyn_presence", id)
        {
            ["msdyn_name"] = name,
            ["msdyn_presencestatustext"] = name,
            ["msdyn_basepresencestatus"] = new OptionSetValue(baseStatus),
            ["statecode"] = new OptionSetValue(0),
        };

        private static void AddTimeZones(List<Entity> rows)
        {
            rows.Add(TimeZone(new Guid("a6000000-0000-4000-8000-000000000004"), TimeZonePacific, "Pacific Standard Time"));
            rows.Add(TimeZone(new Guid("a6000000-0000-4000-8000-000000000085"), TimeZoneGreenwich, "GMT Standard Time"));
            rows.Add(TimeZone(new Guid("a6000000-0000-4000-8000-000000000095"), TimeZoneRomance, "Romance Standard Time"));
        }

        private static Entity TimeZone(Guid id, int code, string standardName) => new Entity("timezonedefinition", id)
        {
            ["timezonecode"] = code,
            ["standardname"] = standardName,
            ["userinterfacename"] = standardName,
        };

        private static void AddWorkstreamsAndProfiles(List<Entity> rows)
        {
            rows.Add(Workstream(WorkstreamVoiceOutbound, "Voice outbound", DirectionOutbound, StreamSourceVoice, active: true));
            rows.Add(Workstream(WorkstreamVoiceInbound, "Voice inbound", DirectionInbound, StreamSourceVoice, active: true));
            rows.Add(Workstream(WorkstreamChat, "Live chat", DirectionInbound, StreamSourceLiveChat, active: true));
            rows.Add(Workstream(WorkstreamVoiceOutboundInactive, "Voice outbound (retired)", DirectionOutbound, StreamSourceVoice, active: false));

            rows.Add(Profile(ProfileVoiceOutbound, "Default voice outbound"));
            rows.Add(Profile(ProfileVoiceInboundOnly, "Default voice inbound"));
            rows.Add(Profile(ProfileChatOnly, "Chat"));
            rows.Add(Profile(ProfileUnused, "Unused"));
            rows.Add(Profile(ProfileInactiveOutbound, "Retired outbound"));

            rows.Add(WorkstreamProfile(new Guid("a7000000-0000-4000-8000-000000000001"), ProfileVoiceOutbound, WorkstreamVoiceOutbound));
            rows.Add(WorkstreamProfile(new Guid("a7000000-0000-4000-8000-000000000002"), ProfileVoiceOutbound, WorkstreamVoiceInbound));
            rows.Add(WorkstreamProfile(new Guid("a7000000-0000-4000-8000-000000000003"), ProfileVoiceInboundOnly, WorkstreamVoiceInbound));
            rows.Add(WorkstreamProfile(new Guid("a7000000-0000-4000-8000-000000000004"), ProfileChatOnly, WorkstreamChat));
            rows.Add(WorkstreamProfile(new Guid("a7000000-0000-4000-8000-000000000005"), ProfileInactiveOutbound, WorkstreamVoiceOutboundInactive));
        }

        private static Entity Workstream(Guid id, string name, int direction, int streamSource, bool active) => new Entity("msdyn_liveworkstream", id)
        {
            ["msdyn_name"] = name,
            ["msdyn_direction"] = new OptionSetValue(direction),
            ["msdyn_streamsource"] = new OptionSetValue(streamSource),
            ["statecode"] = new OptionSetValue(active ? 0 : 1),
            ["statuscode"] = new OptionSetValue(active ? 1 : 2),
        };

        private static Entity Profile(Guid id, string name) => new Entity("msdyn_capacityprofile", id)
        {
            ["msdyn_name"] = name,
            ["msdyn_uniquename"] = name.Replace(" ", "_", StringComparison.Ordinal).ToLowerInvariant(),
            ["msdyn_defaultmaxunits"] = 100,
            ["statecode"] = new OptionSetValue(0),
        };

        private static Entity WorkstreamProfile(Guid id, Guid profileId, Guid workstreamId) => new Entity("msdyn_liveworkstreamcapacityprofile", id)
        {
            ["msdyn_capacityprofile_id"] = new EntityReference("msdyn_capacityprofile", profileId),
            ["msdyn_workstream_id"] = new EntityReference("msdyn_liveworkstream", workstreamId),
        };

        private static void AddAgentRows(List<Entity> rows, SeedAgent agent)
        {
            var user = new Entity("systemuser", agent.Id)
            {
                ["fullname"] = agent.FullName,
                ["internalemailaddress"] = agent.FullName.Replace(" ", ".", StringComparison.Ordinal).ToLowerInvariant() + "@contoso.com",
                ["isdisabled"] = false,
            };
            if (agent.Recipients != null)
            {
                user["msdyn_emergencyemailrecipients"] = agent.Recipients;
            }

            if (agent.Mailbox != SeedMailbox.None)
            {
                user["defaultmailbox"] = new EntityReference("mailbox", agent.MailboxId);
                rows.Add(new Entity("mailbox", agent.MailboxId)
                {
                    ["name"] = agent.FullName,
                    ["emailaddress"] = user["internalemailaddress"],
                    ["regardingobjectid"] = new EntityReference("systemuser", agent.Id),
                    ["statecode"] = new OptionSetValue(0),
                    ["enabledforoutgoingemail"] = agent.Mailbox != SeedMailbox.Disabled,
                    ["outgoingemaildeliverymethod"] = new OptionSetValue(agent.Mailbox == SeedMailbox.Disabled ? 0 : 2),
                    ["emailrouteraccessapproval"] = new OptionSetValue(agent.Mailbox == SeedMailbox.NotApproved ? 2 : 1),
                    ["outgoingemailstatus"] = new OptionSetValue(1),
                });
            }

            rows.Add(user);

            if (agent.TimeZoneCode.HasValue)
            {
                rows.Add(new Entity("usersettings", agent.Id)
                {
                    ["systemuserid"] = agent.Id,
                    ["timezonecode"] = agent.TimeZoneCode.Value,
                });
            }

            if (agent.CurrentPresenceId.HasValue)
            {
                rows.Add(new Entity("msdyn_agentstatus", agent.AgentStatusId)
                {
                    ["msdyn_agentid"] = new EntityReference("systemuser", agent.Id),
                    ["msdyn_currentpresenceid"] = new EntityReference("msdyn_presence", agent.CurrentPresenceId.Value),
                    ["msdyn_presencemodifiedon"] = new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc),
                    ["statecode"] = new OptionSetValue(0),
                });
            }

            AddCapacityRows(rows, agent);
        }

        /// <summary>The agent's bookable resource and its capacity profiles (none when the agent has no profile).</summary>
        private static void AddCapacityRows(List<Entity> rows, SeedAgent agent)
        {
            if (agent.CapacityProfiles.Count == 0)
            {
                return;
            }

            rows.Add(new Entity("bookableresource", agent.BookableResourceId)
            {
                ["name"] = agent.FullName,
                ["userid"] = new EntityReference("systemuser", agent.Id),
                ["resourcetype"] = new OptionSetValue(3), // 3 = User
                ["statecode"] = new OptionSetValue(0),
            });
            var index = 0;
            foreach (var profileId in agent.CapacityProfiles)
            {
                index++;
                rows.Add(new Entity("msdyn_bookableresourcecapacityprofile", agent.Derive((byte)(0x10 + index)))
                {
                    ["msdyn_name"] = agent.FullName + " / profile " + index,
                    ["msdyn_bookableresourceid"] = new EntityReference("bookableresource", agent.BookableResourceId),
                    ["msdyn_capacityprofileid"] = new EntityReference("msdyn_capacityprofile", profileId),
                    ["statecode"] = new OptionSetValue(0),
                });
            }
        }
    }
}
