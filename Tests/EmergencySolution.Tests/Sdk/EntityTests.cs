using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Sdk;

[TestClass]
public sealed class EntityTests
{
    private static readonly Guid ContactId = new("6a3c1f0e-2b4d-4e6f-8a1b-3c5d7e9f0a12");

    [TestMethod]
    public void Indexer_MissingAttribute_ThrowsKeyNotFound()
    {
        var contact = new Entity("contact", ContactId);

        Assert.ThrowsExactly<KeyNotFoundException>(() => _ = contact["fullname"]);
    }

    [TestMethod]
    public void Indexer_Set_AddsThenReplaces()
    {
        var contact = new Entity("contact") { ["fullname"] = "Ada" };
        contact["fullname"] = "Grace";

        Assert.AreEqual("Grace", contact["fullname"]);
        Assert.AreEqual(1, contact.Attributes.Count);
    }

    [TestMethod]
    public void GetAttributeValue_MissingAttribute_ReturnsDefault()
    {
        var contact = new Entity("contact");

        Assert.IsNull(contact.GetAttributeValue<string>("fullname"));
        Assert.AreEqual(0, contact.GetAttributeValue<int>("numberofchildren"));
        Assert.IsNull(contact.GetAttributeValue<int?>("numberofchildren"));
        Assert.AreEqual(Guid.Empty, contact.GetAttributeValue<Guid>("parentcustomerid"));
    }

    [TestMethod]
    public void GetAttributeValue_NullValue_ReturnsDefault()
    {
        var contact = new Entity("contact") { ["numberofchildren"] = null };

        Assert.AreEqual(0, contact.GetAttributeValue<int>("numberofchildren"));
        Assert.IsTrue(contact.Contains("numberofchildren"));
    }

    [TestMethod]
    public void GetAttributeValue_WrongType_ThrowsInvalidCast()
    {
        var contact = new Entity("contact") { ["numberofchildren"] = "two" };

        Assert.ThrowsExactly<InvalidCastException>(() => contact.GetAttributeValue<int>("numberofchildren"));
    }

    [TestMethod]
    public void TryGetAttributeValue_PresentAndTyped_ReturnsTrueWithValue()
    {
        var contact = new Entity("contact") { ["statecode"] = new OptionSetValue(1) };

        Assert.IsTrue(contact.TryGetAttributeValue<OptionSetValue>("statecode", out var state));
        Assert.AreEqual(1, state.Value);
        Assert.IsFalse(contact.TryGetAttributeValue<Money>("statecode", out var money));
        Assert.IsNull(money);
        Assert.IsFalse(contact.TryGetAttributeValue<string>("missing", out _));
    }

    [TestMethod]
    public void Id_SetOnEntity_IsNotAnAttribute()
    {
        var contact = new Entity("contact") { Id = ContactId };

        Assert.AreEqual(ContactId, contact.Id);
        Assert.IsFalse(contact.Contains("contactid"));
    }

    [TestMethod]
    public void ToEntityReference_Entity_CarriesLogicalNameIdAndRowVersion()
    {
        var contact = new Entity("contact", ContactId) { RowVersion = "812345" };

        var reference = contact.ToEntityReference();

        Assert.AreEqual("contact", reference.LogicalName);
        Assert.AreEqual(ContactId, reference.Id);
        Assert.AreEqual("812345", reference.RowVersion);
        Assert.AreEqual(new EntityReference("contact", ContactId), reference);
    }

    [TestMethod]
    public void Constructor_KeyNameAndValue_SetsKeyAttribute()
    {
        var number = new Entity("emc_callbacknumber", "emc_number", "+15550100");

        Assert.AreEqual("+15550100", number.KeyAttributes["emc_number"]);
        Assert.AreEqual(Guid.Empty, number.Id);
        Assert.AreEqual("+15550100", number.ToEntityReference().KeyAttributes["emc_number"]);
    }

    [TestMethod]
    public void ToEntity_AsEntity_IsShallowCopyWithSameValues()
    {
        var contact = new Entity("contact", ContactId) { ["fullname"] = "Ada" };

        var copy = contact.ToEntity<Entity>();

        Assert.AreNotSame(contact, copy);
        Assert.AreEqual("contact", copy.LogicalName);
        Assert.AreEqual(ContactId, copy.Id);
        Assert.AreEqual("Ada", copy["fullname"]);
    }

    [TestMethod]
    public void Collections_NewEntity_AreEmptyNotNull()
    {
        var entity = new Entity();

        Assert.AreEqual(0, entity.Attributes.Count);
        Assert.AreEqual(0, entity.FormattedValues.Count);
        Assert.AreEqual(0, entity.KeyAttributes.Count);
        Assert.AreEqual(0, entity.RelatedEntities.Count);
        Assert.IsNull(entity.EntityState);
    }

    [TestMethod]
    public void EntityReference_Equality_UsesLogicalNameAndIdNotName()
    {
        var a = new EntityReference("contact", ContactId) { Name = "Ada" };
        var b = new EntityReference("contact", ContactId) { Name = "Someone else" };
        var c = new EntityReference("account", ContactId);

        Assert.AreEqual(a, b);
        Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
        Assert.AreNotEqual(a, c);
    }

    [TestMethod]
    public void ValueTypes_Equality_ByValue()
    {
        Assert.AreEqual(new OptionSetValue(41075000), new OptionSetValue(41075000));
        Assert.AreNotEqual(new OptionSetValue(1), new OptionSetValue(2));
        Assert.AreEqual(new Money(12.5m), new Money(12.5m));
        Assert.AreEqual(new Relationship("emc_call_agent"), new Relationship("emc_call_agent"));
        Assert.AreEqual("emc_call_agent", new Relationship("emc_call_agent").ToString());
    }

    [TestMethod]
    public void AliasedValue_Constructor_KeepsParts()
    {
        var aliased = new AliasedValue("systemuser", "fullname", "Ada");

        Assert.AreEqual("systemuser", aliased.EntityLogicalName);
        Assert.AreEqual("fullname", aliased.AttributeLogicalName);
        Assert.AreEqual("Ada", aliased.Value);
    }
}
