using Microsoft.Xrm.Sdk;

namespace EmergencySolution.Tests.Sdk;

[TestClass]
public sealed class CollectionTests
{
    [TestMethod]
    public void KeyedCollection_Add_DuplicateKeyThrows()
    {
        var attributes = new AttributeCollection { { "name", "a" } };

        Assert.ThrowsExactly<ArgumentException>(() => attributes.Add("name", "b"));
    }

    [TestMethod]
    public void KeyedCollection_Indexer_MissingKeyThrowsAndSetterUpserts()
    {
        var parameters = new ParameterCollection();

        Assert.ThrowsExactly<KeyNotFoundException>(() => _ = parameters["Target"]);
        parameters["Target"] = 1;
        parameters["Target"] = 2;
        Assert.AreEqual(2, parameters["Target"]);
        Assert.AreEqual(1, parameters.Count);
    }

    [TestMethod]
    public void KeyedCollection_ContainsRemoveTryGetValue_Behave()
    {
        var formatted = new FormattedValueCollection { { "statecode", "Active" } };

        Assert.IsTrue(formatted.Contains("statecode"));
        Assert.IsTrue(formatted.ContainsKey("statecode"));
        Assert.IsTrue(formatted.Contains(new KeyValuePair<string, string>("statecode", "Active")));
        Assert.IsTrue(formatted.TryGetValue("statecode", out var value));
        Assert.AreEqual("Active", value);
        Assert.IsTrue(formatted.Remove("statecode"));
        Assert.IsFalse(formatted.Remove("statecode"));
        Assert.IsFalse(formatted.TryGetValue("statecode", out _));
    }

    [TestMethod]
    public void KeyedCollection_Enumerate_YieldsPairs()
    {
        var keys = new KeyAttributeCollection();
        keys.AddRange(new KeyValuePair<string, object>("a", 1), new KeyValuePair<string, object>("b", 2));

        var pairs = keys.OrderBy(pair => pair.Key).Select(pair => pair.Key + "=" + pair.Value).ToArray();

        CollectionAssert.AreEqual(new[] { "a=1", "b=2" }, pairs);
        CollectionAssert.AreEquivalent(new[] { "a", "b" }, keys.Keys.ToArray());
    }

    [TestMethod]
    public void ParameterCollection_TryGetValueTyped_OnlyForMatchingType()
    {
        var parameters = new ParameterCollection { { "Target", new Entity("contact") }, { "Count", 3 } };

        Assert.IsTrue(parameters.TryGetValue<Entity>("Target", out var target));
        Assert.AreEqual("contact", target.LogicalName);
        Assert.IsFalse(parameters.TryGetValue<EntityReference>("Target", out var reference));
        Assert.IsNull(reference);
        Assert.IsFalse(parameters.TryGetValue<int>("Missing", out var missing));
        Assert.AreEqual(0, missing);
    }

    [TestMethod]
    public void ParameterCollection_AddOrUpdateIfNotNull_SkipsNull()
    {
        var parameters = new ParameterCollection();

        parameters.AddOrUpdateIfNotNull("A", null);
        parameters.AddOrUpdateIfNotNull("B", "x");
        parameters.AddOrUpdateIfNotNull("B", "y");

        Assert.IsFalse(parameters.Contains("A"));
        Assert.AreEqual("y", parameters["B"]);
    }

    [TestMethod]
    public void ListCollection_FromArray_StaysGrowable()
    {
        var references = new EntityReferenceCollection(new[] { new EntityReference("contact", Guid.Empty) });

        references.Add(new EntityReference("account", Guid.Empty));
        references.AddRange(new EntityReference("lead", Guid.Empty));

        Assert.AreEqual(3, references.Count);
        Assert.AreEqual("lead", references.ToArray()[2].LogicalName);
    }

    [TestMethod]
    public void EntityCollection_Indexer_ReadsEntities()
    {
        var collection = new EntityCollection(new List<Entity> { new("contact"), new("account") }) { MoreRecords = true };

        Assert.AreEqual("account", collection[1].LogicalName);
        Assert.AreEqual(2, collection.Entities.Count);
        Assert.IsTrue(collection.MoreRecords);
    }

    [TestMethod]
    public void EntityImageCollection_ByName_ReturnsImage()
    {
        var images = new EntityImageCollection { { "PreImage", new Entity("systemuser") } };

        Assert.AreEqual("systemuser", images["PreImage"].LogicalName);
        Assert.IsFalse(images.Contains("PostImage"));
    }
}
