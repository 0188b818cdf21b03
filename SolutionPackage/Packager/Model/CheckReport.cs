namespace EmergencySolution.Packager.Model;

/// <summary>Collects failures (<see cref="CheckFailure"/>) from every check so that all of them are reported together.</summary>
public sealed class CheckReport
{
    private readonly List<CheckFailure> failures = new();

    public IReadOnlyList<CheckFailure> Failures => failures;

    public bool HasFailures => failures.Count > 0;

    public void Fail(string file, string reason) => failures.Add(new CheckFailure(file.Replace('\\', '/'), reason));
}
