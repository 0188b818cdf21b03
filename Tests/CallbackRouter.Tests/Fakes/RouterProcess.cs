using System.Diagnostics;
using System.Text;

namespace EmergencySolution.CallbackRouter.Tests.Fakes;

/// <summary>
/// The router as ops run it: <c>dotnet EmergencySolution.CallbackRouter.dll</c> in its own process, configured by
/// environment variables only (CallbackRouter__…), as docs/router.md, "Deploying the router", says.
/// </summary>
public sealed class RouterProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RouterProcess(Process process)
    {
        _process = process;
    }

    public string StandardError
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public string StandardOutput
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static RouterProcess Start(IReadOnlyDictionary<string, string?> settings)
    {
        var directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "EmergencySolution.CallbackRouter.dll"));
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        var router = new RouterProcess(new Process { StartInfo = start });
        router._process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (router._output)
            {
                router._output.AppendLine(line.Data);
            }

            var marker = line.Data.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (marker >= 0)
            {
                router._listening.TrySetResult(new Uri(line.Data[(marker + "Now listening on: ".Length)..].Trim()));
            }
        };
        router._process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (router._error)
                {
                    router._error.AppendLine(line.Data);
                }
            }
        };
        router._process.Start();
        router._process.BeginOutputReadLine();
        router._process.BeginErrorReadLine();
        return router;
    }

    /// <summary>The address the router listens on, once it says so; fails if it exits first or takes too long.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(timeout));
        if (first == _listening.Task)
        {
            return await _listening.Task;
        }

        throw new AssertFailedException(first == exited
            ? $"the router exited with {_process.ExitCode} instead of starting:\n{StandardError}"
            : $"the router did not start within {timeout}:\n{StandardOutput}\n{StandardError}");
    }

    /// <summary>The exit code, once the process ends by itself; fails if it is still running after the timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new AssertFailedException($"the router was still running after {timeout}:\n{StandardOutput}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
