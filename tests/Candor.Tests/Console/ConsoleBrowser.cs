using Microsoft.Playwright;

namespace Candor.Tests.ConsoleTests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright, with a fresh profile of its own. A machine without it fails
/// the test and says how to install it: a browser test that skips would pass where nothing was checked.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly DirectoryInfo _profile;

    private ConsoleBrowser(IPlaywright playwright, IBrowserContext context, DirectoryInfo profile, IPage page)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<ConsoleBrowser> LaunchAsync(Uri baseAddress)
    {
        Assert.True(File.Exists(Chromium),
            $"Browser tests need Debian's Chromium at {Chromium}: run `apt-get install -y --no-install-recommends chromium` (test.sh does, as root).");
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("candor-chromium-");
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            BaseURL = baseAddress.ToString(),
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new ConsoleBrowser(playwright, context, profile, page);
    }

    /// <summary>Saves the whole page as artifacts/screenshots/NAME.png, the artefact a person looks at.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var folder = Directory.CreateDirectory(Path.Combine(testOutput.Parent!.Parent!.Parent!.FullName, "screenshots"));
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder.FullName, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        _playwright.Dispose();
        _profile.Delete(recursive: true);
    }
}
