using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace InMemoryDataverse.Tests
{
    [TestClass]
    public sealed class PlatformMessageTests
    {
        private static readonly Guid TemplateId = new Guid("7e0c1b5a-3d2f-4a8e-9b61-0c5f3e2d1e01");
        private static readonly Guid ContactId = new Guid("c0000000-0000-4000-8000-000000000001");
        private static readonly Guid EmailId = new Guid("e0000000-0000-4000-8000-000000000001");
        private static readonly Guid TaskId = new Guid("7a500000-0000-4000-8000-000000000001");

        [TestMethod]
        public void WhoAmI_AsUser_ReturnsThatUser()
        {
            var org = TestOrganization.Bare();

            var response = org.CreateOrganizationService(TestOrganization.Alice).Execute(new OrganizationRequest("WhoAmI"));

            Assert.AreEqual(TestOrganization.Alice, response["UserId"]);
            Assert.AreEqual(org.BusinessUnitId, response["BusinessUnitId"]);
            Assert.AreEqual(org.OrganizationId, response["OrganizationId"]);
        }

        [TestMethod]
        public void WhoAmI_SystemService_ReturnsSystemUser()
        {
            var org = TestOrganization.Bare();

            Assert.AreEqual(org.SystemUserId, org.GetOrganizationService().Execute(new OrganizationRequest("WhoAmI"))["UserId"]);
        }

        [TestMethod]
        public void SetState_Task_SetsStateAndRunsUpdateStepsOnStatecode()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("task", TaskId) { ["subject"] = "follow up", ["statecode"] = new OptionSetValue(0), ["statuscode"] = new OptionSetValue(2) });

            org.GetOrganizationService().Execute(new OrganizationRequest("SetState")
            {
                ["EntityMoniker"] = new EntityReference("task", TaskId),
                ["State"] = new OptionSetValue(1),
                ["Status"] = new OptionSetValue(5),
            });

            var task = org.GetRecord("task", TaskId)!;
            Assert.AreEqual(1, task.GetAttributeValue<OptionSetValue>("statecode").Value);
            Assert.AreEqual(5, task.GetAttributeValue<OptionSetValue>("statuscode").Value);
            var trace = org.TracesOf("task-state-changed").Single();
            StringAssert.Contains(trace, "message=Update");
        }

        [TestMethod]
        public void SendEmail_ExistingEmail_MarksSentAndReturnsSubject()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("email", EmailId) { ["subject"] = "Emergency", ["statecode"] = new OptionSetValue(0), ["statuscode"] = new OptionSetValue(1) });

            var response = org.GetOrganizationService().Execute(new OrganizationRequest("SendEmail") { ["EmailId"] = EmailId, ["IssueSend"] = true, ["TrackingToken"] = string.Empty });

            var email = org.GetRecord("email", EmailId)!;
            Assert.AreEqual("Emergency", response["Subject"]);
            Assert.AreEqual(1, email.GetAttributeValue<OptionSetValue>("statecode").Value);
            Assert.AreEqual(3, email.GetAttributeValue<OptionSetValue>("statuscode").Value);
        }

        [TestMethod]
        public void SendEmail_MissingEmail_FaultsDoesNotExist()
        {
            var org = TestOrganization.Bare();

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new OrganizationRequest("SendEmail") { ["EmailId"] = EmailId, ["IssueSend"] = true, ["TrackingToken"] = string.Empty }));

            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, fault.Detail.ErrorCode);
        }

        [TestMethod]
        public void SendEmail_FailureInjected_FaultsAndEmailStaysDraft()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("email", EmailId) { ["subject"] = "Emergency", ["statecode"] = new OptionSetValue(0), ["statuscode"] = new OptionSetValue(1) });
            org.FailMessage("SendEmail", unchecked((int)0x8005E24D), "Mailbox is not approved.");

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new OrganizationRequest("SendEmail") { ["EmailId"] = EmailId, ["IssueSend"] = true, ["TrackingToken"] = string.Empty }));

            Assert.AreEqual("Mailbox is not approved.", fault.Detail.Message);
            Assert.AreEqual(1, org.GetRecord("email", EmailId)!.GetAttributeValue<OptionSetValue>("statuscode").Value);
        }

        [TestMethod]
        public void InstantiateTemplate_TemplateFromSolution_RendersSubjectAndBodyForRecord()
        {
            var org = TestOrganization.WithSolution();
            org.Initialize(new Entity("contact", ContactId)
            {
                ["fullname"] = "Ann Adams",
                ["parentcustomerid"] = new EntityReference("account", Guid.NewGuid()) { Name = "Contoso" },
                ["statuscode"] = new OptionSetValue(1),
            });

            var response = org.GetOrganizationService().Execute(new OrganizationRequest("InstantiateTemplate")
            {
                ["TemplateId"] = TemplateId,
                ["ObjectType"] = "contact",
                ["ObjectId"] = ContactId,
            });

            var email = ((EntityCollection)response["EntityCollection"]).Entities.Single();
            Assert.AreEqual("email", email.LogicalName);
            Assert.AreEqual(Guid.Empty, email.Id, "InstantiateTemplate returns an unsaved email");
            Assert.AreEqual("Hello Ann Adams", email.GetAttributeValue<string>("subject"));
            Assert.AreEqual("<p>Dear Ann Adams, your account is Contoso and your status is 1.</p>", email.GetAttributeValue<string>("description"));
        }

        [TestMethod]
        public void InstantiateTemplate_FormattedValueKnown_UsesLabel()
        {
            var org = TestOrganization.WithSolution();
            var contact = new Entity("contact", ContactId) { ["fullname"] = "Ann Adams", ["statuscode"] = new OptionSetValue(1) };
            contact.FormattedValues["statuscode"] = "Active";
            org.Initialize(contact);

            var response = org.GetOrganizationService().Execute(new OrganizationRequest("InstantiateTemplate") { ["TemplateId"] = TemplateId, ["ObjectType"] = "contact", ["ObjectId"] = ContactId });

            StringAssert.Contains(((EntityCollection)response["EntityCollection"]).Entities[0].GetAttributeValue<string>("description"), "your status is Active");
        }

        [TestMethod]
        public void InstantiateTemplate_MissingTemplate_FaultsDoesNotExist()
        {
            var org = TestOrganization.Bare();
            org.Initialize(new Entity("contact", ContactId));

            var fault = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                org.GetOrganizationService().Execute(new OrganizationRequest("InstantiateTemplate") { ["TemplateId"] = TemplateId, ["ObjectType"] = "contact", ["ObjectId"] = ContactId }));

            Assert.AreEqual(ErrorCodes.ObjectDoesNotExist, fault.Detail.ErrorCode);
            StringAssert.Contains(fault.Detail.Message, "template");
        }

        [TestMethod]
        public void AddMessageHandler_ReplacesOperationAndSeesCaller()
        {
            var org = TestOrganization.Bare();
            Guid seenUser = Guid.Empty;
            org.AddMessageHandler("msdyn_SetAgentPresence", (request, info) =>
            {
                seenUser = info!.UserId;
                var response = new OrganizationResponse { ResponseName = request.RequestName };
                response.Results["Accepted"] = true;
                return response;
            });

            var result = org.CreateOrganizationService(TestOrganization.Alice).Execute(new OrganizationRequest("msdyn_SetAgentPresence") { ["PresenceId"] = Guid.Empty });

            Assert.AreEqual(true, result["Accepted"]);
            Assert.AreEqual(TestOrganization.Alice, seenUser);
        }

        [TestMethod]
        public void AddMessageHandler_ReplacesBuiltInRetrieve()
        {
            var org = TestOrganization.Bare();
            org.AddMessageHandler("Retrieve", (request, _) =>
            {
                var response = new Microsoft.Xrm.Sdk.Messages.RetrieveResponse();
                response.Results["Entity"] = new Entity("account", ((EntityReference)request["Target"]).Id) { ["name"] = "from handler" };
                return response;
            });

            var entity = org.GetOrganizationService().Retrieve("account", ContactId, new ColumnSet(true));

            Assert.AreEqual("from handler", entity.GetAttributeValue<string>("name"));
        }
    }
}
