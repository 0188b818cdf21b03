using System.CommandLine;
using EmergencySolution.Packager;
using EmergencySolution.Packager.Checks;
using EmergencySolution.Packager.Model;

var repoOption = new Option<string?>("--repo") { Description = "Repository root (default: the folder above that holds EmergencySolution.sln)", Recursive = true };
var srcOption = new Option<string?>("--src") { Description = "The unpacked solution (default: <repo>/SolutionPackage/src)", Recursive = true };
var outOption = new Option<string?>("--out") { Description = "Where the zips go (default: <repo>/out)" };
var noBuildOption = new Option<bool>("--no-build") { Description = "Use the plugin assemblies an earlier Release build left instead of building them", Recursive = true };

string Root(ParseResult result) => result.GetValue(repoOption) is { } repo ? Path.GetFullPath(repo) : PackagerOptions.FindRepositoryRoot(Directory.GetCurrentDirectory());

int RunPack(ParseResult result, bool writeZips)
{
    var options = new PackagerOptions
    {
        RepositoryRoot = Root(result),
        SrcDirectory = result.GetValue(srcOption) ?? "",
        OutDirectory = result.GetValue(outOption) ?? "",
        BuildAssemblies = !result.GetValue(noBuildOption),
        WriteZips = writeZips,
    };
    return PackCommand.Run(options, Console.Out).Succeeded ? 0 : 1;
}

var pack = new Command("pack", "Build the plugin assemblies, check src, and write out/EmergencySolution.zip and out/EmergencySolution_managed.zip (the default command)");
pack.Options.Add(outOption);
pack.SetAction(result => RunPack(result, writeZips: true));

var check = new Command("check", "Build and run every check, write no zip");
check.SetAction(result => RunPack(result, writeZips: false));

var sync = new Command("sync-root-components", "Rewrite Other/Solution.xml's RootComponents from the component files in src");
sync.SetAction(result =>
{
    var options = new PackagerOptions { RepositoryRoot = Root(result), SrcDirectory = result.GetValue(srcOption) ?? "" }.WithDefaults();
    var source = SolutionSource.Load(options.SrcDirectory);
    RootComponents.Sync(source, options.PublisherPrefix);
    Console.WriteLine($"Wrote {RootComponents.Expected(source, options.PublisherPrefix).Count} root components to Other/Solution.xml");
    return 0;
});

var root = new RootCommand("EmergencySolution packager: checks SolutionPackage/src and packs the solution zips");
root.Options.Add(repoOption);
root.Options.Add(noBuildOption);
root.Options.Add(srcOption);
root.Subcommands.Add(pack);
root.Subcommands.Add(check);
root.Subcommands.Add(sync);
root.SetAction(result => RunPack(result, writeZips: true));
return root.Parse(args).Invoke();
