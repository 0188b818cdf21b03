namespace EmergencySolution.Packager.Model;

/// <summary>One reason the solution cannot be packed, pinned to the file (relative to src, or a zip entry) that causes it.</summary>
public sealed record CheckFailure(string File, string Reason)
{
    public override string ToString() => $"{File}: {Reason}";
}

/// <summary>Collects failures from every check so that all of them are reported together.</summary>
public sealed class CheckReport
{
    private readonly List<CheckFailure> failures = new();

    public IReadOnlyList<CheckFailure> Failures => failures;

    public bool HasFailures => failures.Count > 0;

    public void Fail(string file, string reason) => failures.Add(new CheckFailure(file.Replace('\\', '/'), reason));
}
