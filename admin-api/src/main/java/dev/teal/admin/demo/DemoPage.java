package dev.teal.admin.demo;

import dev.teal.config.Color;

/** The demo application's one HTML page: which color answered, for which session, how often. */
final class DemoPage {
    private static final String TEMPLATE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{color}} · {{instance}}</title>
              <style>
                html { background: {{background}}; color: #fff; }
                body { margin: 0; min-height: 100vh; display: grid; place-items: center;
                       font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
                main { text-align: center; padding: 2rem; }
                h1 { margin: 0; font-size: clamp(5rem, 22vw, 14rem); line-height: 1; letter-spacing: .04em; }
                dl { display: grid; grid-template-columns: auto auto; gap: .4rem 1.5rem;
                     justify-content: center; font-size: 1.5rem; margin: 2rem 0; }
                dt { text-align: right; opacity: .75; }
                dd { margin: 0; text-align: left; font-weight: 600;
                     font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; }
                p { opacity: .85; font-size: 1.1rem; }
                a { color: inherit; }
              </style>
            </head>
            <body>
              <main>
                <h1>{{color}}</h1>
                <dl>
                  <dt>instance</dt><dd>{{instance}}</dd>
                  <dt>session</dt><dd>{{session}}…</dd>
                  <dt>visits</dt><dd>{{visits}}</dd>
                </dl>
                <p>Reload to count visits in this session. <a href="/logout">Log out</a> to start a new one.</p>
              </main>
            </body>
            </html>
            """;

    private DemoPage() {}

    static String render(Color color, String instance, DemoSessions.Visit visit) {
        return TEMPLATE.replace("{{background}}", background(color))
                .replace("{{color}}", color.id())
                .replace("{{instance}}", escape(instance))
                .replace("{{session}}", visit.prefix())
                .replace("{{visits}}", Integer.toString(visit.visits()));
    }

    private static String background(Color color) {
        return color == Color.BLUE ? "#1f5fbf" : "#1b7f3b";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
