using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Candor.Tests.Fixtures;

/// <summary>An axe-core rule the page broke, with the elements that broke it.</summary>
public sealed record AxeViolation(string Id, string Impact, string Help, IReadOnlyList<string> Nodes)
{
    public override string ToString() => $"{Id} ({Impact}): {Help}\n    {string.Join("\n    ", Nodes)}";
}

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, headless) driven by Playwright, one browser for a whole test
/// collection; each test gets a context of its own (no cookies or storage shared), and Playwright starts the browser
/// on a fresh temporary profile. A machine without Chromium fails the tests with a message that says so: a browser
/// test that is skipped has tested nothing. The fixture also runs axe-core (the npm package, installed under
/// <c>artifacts/axe</c> on first use) and saves screenshots under <c>artifacts/screenshots</c>.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>The axe-core release the accessibility checks run; its rules change between releases.</summary>
    public const string AxeVersion = "4.14.1";

    private static readonly string[] LaunchArguments =
        ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _axe = "";

    /// <summary>The repository's <c>artifacts</c> folder, where the build output goes too.</summary>
    public static string Artifacts { get; } = FindArtifacts();

    public static string Screenshots => Path.Combine(Artifacts, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException(
                $"{Chromium} is missing: the browser tests need Debian's Chromium (./test.sh installs it: apt-get install chromium).");
        }

        _axe = await AxeScriptAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = LaunchArguments,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A context of its own, with axe-core ready in every page it opens.</summary>
    /// <param name="phone">A phone's viewport and touch, to see that a page reads on one.</param>
    public async Task<IBrowserContext> NewContextAsync(ColorScheme scheme = ColorScheme.Light, bool phone = false)
    {
        var context = await (_browser ?? throw new InvalidOperationException("The browser has not started.")).NewContextAsync(new()
        {
            ColorScheme = scheme,
            ViewportSize = phone ? new() { Width = 390, Height = 844 } : new() { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
        });

        // An init script is injected by the browser itself, so the page's Content-Security-Policy, which allows
        // no inline script, does not stop it (nor does it need loosening for the test).
        await context.AddInitScriptAsync(_axe);
        return context;
    }

    /// <summary>The serious and critical violations axe-core finds on the page as it is now.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> AxeAsync(IPage page)
    {
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const results = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(results.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                             nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '')) })));
            }
            """);
        return JsonSerializer.Deserialize<List<AxeViolation>>(json, Json) ?? [];
    }

    /// <summary>Fails the test with every serious or critical violation listed.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var violations = await AxeAsync(page);
        Assert.True(violations.Count == 0, $"axe-core on {page.Url}:\n{string.Join("\n", violations)}");
    }

    /// <summary>Saves the page as <c>artifacts/screenshots/NAME.png</c> and returns the file.</summary>
    /// <param name="fullPage">The whole page rather than the viewport; an SVG document (a badge) has no page to measure.</param>
    public static async Task<string> ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(Screenshots);
        var file = Path.Combine(Screenshots, string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-')) + ".png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = fullPage });
        return file;
    }

    /// <summary>Collects what the page reports as going wrong: script errors and console errors (CSP violations among them).</summary>
    public static List<string> WatchErrors(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add("page error: " + error);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add("console: " + message.Text);
                }
            }
        };
        return errors;
    }

    /// <summary>
    /// axe.min.js from the npm package, installed with npm on first use. A lock file keeps two test runs from
    /// installing into the folder at once.
    /// </summary>
    private static async Task<string> AxeScriptAsync()
    {
        var folder = Path.Combine(Artifacts, "axe");
        var script = Path.Combine(folder, "node_modules", "axe-core", "axe.min.js");
        Directory.CreateDirectory(folder);
        await using (var _ = await LockAsync(Path.Combine(folder, ".lock")))
        {
            if (!File.Exists(script) || !File.ReadAllText(Path.Combine(folder, "node_modules", "axe-core", "package.json")).Contains($"\"version\": \"{AxeVersion}\"", StringComparison.Ordinal))
            {
                await NpmInstallAsync(folder, $"axe-core@{AxeVersion}");
            }
        }

        return await File.ReadAllTextAsync(script);
    }

    private static async Task NpmInstallAsync(string folder, string package)
    {
        var npm = ExternalCommand.Find("npm");
        var start = new ProcessStartInfo(npm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "install", "--prefix", folder, "--no-audit", "--no-fund", "--no-save", package })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("npm is missing: the accessibility checks install axe-core with it (./test.sh installs npm).", exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(limit.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm install {package} failed ({process.ExitCode}):\n{await output}\n{await error}");
            }
        }
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }
    }

    private static string FindArtifacts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Candor.slnx")))
            {
                return Path.Combine(dir.FullName, "artifacts");
            }
        }

        throw new InvalidOperationException($"No Candor.slnx above {AppContext.BaseDirectory}");
    }
}

/// <summary>The browser tests share one browser and run one after another: two cores are not enough for more.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browser>
{
    public const string Name = "browser";
}
