package dev.teal.admin.demo;

import dev.teal.config.Color;
import java.util.Optional;

/**
 * The demo application's one HTML page: which color answered, for which session, how often, and the
 * customers as this version of the application reads them.
 */
final class DemoPage {
    private static final String TEMPLATE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{color}} · {{instance}}</title>
              <link rel="icon" href="/favicon.svg" type="image/svg+xml">
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
                table { margin: 1.5rem auto 0; border-collapse: collapse; font-size: 1.05rem; text-align: left; }
                caption { opacity: .75; padding-bottom: .4rem; }
                td { padding: .15rem .8rem; border-top: 1px solid rgba(255,255,255,.25); }
                td.missing { opacity: .6; font-style: italic; }
                .error { background: rgba(0,0,0,.35); padding: .6rem 1rem; border-radius: 6px;
                         font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; }
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
                {{customers}}
              </main>
            </body>
            </html>
            """;

    private DemoPage() {}

    static String render(Color color, String instance, DemoSessions.Visit visit) {
        return render(color, instance, visit, Optional.empty());
    }

    static String render(
            Color color, String instance, DemoSessions.Visit visit, Optional<DemoHandler.CustomerList> customers) {
        return TEMPLATE.replace("{{background}}", background(color))
                .replace("{{color}}", color.id())
                .replace("{{instance}}", escape(instance))
                .replace("{{session}}", visit.prefix())
                .replace("{{visits}}", Integer.toString(visit.visits()))
                .replace("{{customers}}", customers.map(DemoPage::customers).orElse(""));
    }

    private static String customers(DemoHandler.CustomerList list) {
        String columns = list.version().equals("v1") ? "first_name, last_name" : "full_name";
        if (list.error() != null) {
            return "<p class=\"error\">version " + list.version() + " cannot read customer." + escape(columns) + ": "
                    + escape(list.error()) + "</p>";
        }
        StringBuilder html = new StringBuilder("<table><caption>customers, as version ")
                .append(list.version())
                .append(" reads them (")
                .append(columns)
                .append(")</caption>");
        for (Customers.Customer customer : list.customers()) {
            html.append("<tr><td>").append(customer.id()).append("</td>");
            if (customer.name() == null) {
                html.append("<td class=\"missing\">not backfilled yet</td>");
            } else {
                html.append("<td>").append(escape(customer.name())).append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }

    /** The page's icon: a rounded square in the page's background color. */
    static String favicon(Color color) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect x=\"2\" y=\"2\""
                + " width=\"28\" height=\"28\" rx=\"6\" fill=\"" + background(color) + "\"/></svg>";
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
