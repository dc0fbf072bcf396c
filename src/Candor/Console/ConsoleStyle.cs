namespace Candor.AdminConsole;

/// <summary>The console's one stylesheet, served as a file so that the pages need no inline style.</summary>
public static class ConsoleStyle
{
    public const string Css = """
        :root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--panel:#f6f8fa;--accent:#0969da;
          --on-accent:#fff;--up:#1a7f37;--warn:#9a6700;--down:#cf222e}
        @media (prefers-color-scheme: dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8d96a0;--line:#30363d;--panel:#161b22;
          --accent:#4493f8;--on-accent:#0d1117;--up:#3fb950;--warn:#d29922;--down:#f85149}}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
        a{color:var(--accent)}
        .bar{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--panel)}
        .bar .brand{font-weight:600;color:var(--fg);text-decoration:none}
        .bar nav a{margin-right:.8rem}
        .bar .who{margin-left:auto;display:flex;gap:.5rem;align-items:center}
        main{max-width:72rem;margin:0 auto;padding:1rem}
        footer{max-width:72rem;margin:0 auto;padding:0 1rem 2rem;color:var(--muted)}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}
        h2{font-size:1.15rem;margin:1.5rem 0 .6rem}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
        th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
        ul.locations,ul.components,ul.incidents{list-style:none;margin:0;padding:0}
        ul.locations li{margin-bottom:.4rem}
        ul.components li,ul.incidents li{padding:.25rem 0}
        .muted{color:var(--muted)}
        .status{display:inline-block;padding:0 .45rem;border-radius:1rem;border:1px solid currentColor;font-size:.85em;white-space:nowrap}
        .up,.operational,.resolved,.postmortem,.ok,.sent,.completed{color:var(--up)}
        .degraded,.degraded_performance,.identified,.monitoring,.pending,.sending,.in_progress,.verifying{color:var(--warn)}
        .down,.partial_outage,.major_outage,.investigating,.dead,.failed{color:var(--down)}
        .unknown,.silent,.under_maintenance,.cancelled{color:var(--muted)}
        .scheduled{color:var(--accent)}
        code.why{white-space:pre-wrap;word-break:break-word}
        .spark{vertical-align:middle;color:var(--accent)}
        .spark-failure{fill:var(--down)}
        .spark-latest{color:var(--muted);font-size:.85em}
        .panel{border:1px solid var(--line);border-radius:.5rem;padding:.2rem 1rem 1rem;margin:1rem 0;background:var(--panel)}
        .panel.ok{border-color:var(--up)}
        .panel.maintenance{border-color:var(--warn)}
        .alert{border-left:4px solid var(--down);padding:.5rem .8rem;background:var(--panel)}
        .notice{border-left:4px solid var(--up);padding:.5rem .8rem;background:var(--panel)}
        .preview{border:1px dashed var(--line);padding:.2rem .8rem;margin-bottom:1rem}
        form.stack{display:grid;gap:.7rem;max-width:40rem}
        form.narrow{max-width:22rem}
        form.stack button{justify-self:start}
        form.stack + form{margin-top:1rem}
        form.row,form.filters{display:flex;flex-wrap:wrap;gap:.7rem;align-items:flex-end;margin-bottom:.8rem}
        label{display:grid;gap:.2rem;font-weight:500}
        label.check{display:flex;gap:.4rem;align-items:center;font-weight:400}
        fieldset{border:1px solid var(--line);border-radius:.4rem;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
        input,select,textarea,button{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:.35rem;padding:.35rem .5rem}
        button{cursor:pointer;background:var(--accent);color:var(--on-accent);border-color:var(--accent)}
        button.secondary{background:var(--bg);color:var(--fg);border-color:var(--line)}
        .timeline{list-style:none;padding:0}
        .timeline .event{border-left:3px solid var(--line);padding:.1rem .9rem;margin-bottom:1rem}
        .timeline .meta{margin:.2rem 0;color:var(--muted)}
        .tag{border:1px solid var(--muted);border-radius:.3rem;padding:0 .3rem;font-size:.8em}
        .summary{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
        .summary dt{color:var(--muted)}
        .summary dd{margin:0}
        pre{white-space:pre-wrap;word-break:break-word}
        """;
}
