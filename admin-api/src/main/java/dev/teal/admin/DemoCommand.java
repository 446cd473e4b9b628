package dev.teal.admin;

import dev.teal.admin.demo.Demo;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code teal demo}: a blue and a green demo application and teal in front of them on {@code
 * localhost:8080}, until Ctrl-C.
 */
@Command(
        name = "demo",
        description = "Start a blue and a green demo application and teal in front of them; Ctrl-C stops all.")
final class DemoCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

    @Option(
            names = "--port",
            defaultValue = "8080",
            paramLabel = "PORT",
            description = "teal's port on localhost (default: ${DEFAULT-VALUE}; 0: any free port).")
    private int port;

    @Option(
            names = "--blue-port",
            defaultValue = "0",
            paramLabel = "PORT",
            description = "The blue application's port (default: any free port).")
    private int bluePort;

    @Option(
            names = "--green-port",
            defaultValue = "0",
            paramLabel = "PORT",
            description = "The green application's port (default: any free port).")
    private int greenPort;

    @Option(
            names = "--admin-port",
            defaultValue = "9901",
            paramLabel = "PORT",
            description =
                    "The admin API and dashboard's port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
    private int adminPort;

    @Option(
            names = "--tls",
            description = "Also serve https://localhost:8443/ (--tls-port) with a self-signed certificate for"
                    + " localhost made for this demo.")
    private boolean tls;

    @Option(
            names = "--tls-port",
            defaultValue = "8443",
            paramLabel = "PORT",
            description = "teal's TLS port on localhost with --tls (default: ${DEFAULT-VALUE}; 0: any free port).")
    private int tlsPort;

    @Spec
    private CommandSpec spec;

    @Override
    @SuppressWarnings("try") // the signal handlers are held for the try block, never referenced in it
    public Integer call() throws InterruptedException {
        checkPort("--port", port);
        checkPort("--blue-port", bluePort);
        checkPort("--green-port", greenPort);
        checkPort("--admin-port", adminPort);
        checkPort("--tls-port", tlsPort);
        CountDownLatch stopRequested = new CountDownLatch(1);
        try (SignalHandlers signals = SignalHandlers.install(stopRequested::countDown, DemoCommand::reload);
                ProcessMeters meters = ProcessMeters.open()) {
            Demo demo;
            try {
                demo = Demo.start(
                        port,
                        bluePort,
                        greenPort,
                        adminPort,
                        tls ? OptionalInt.of(tlsPort) : OptionalInt.empty(),
                        meters.registry());
            } catch (UncheckedIOException e) {
                spec.commandLine()
                        .getErr()
                        .println("teal demo: " + e.getMessage()
                                + " (choose free ports with --port, --blue-port, --green-port, --admin-port,"
                                + " --tls-port)");
                return ExitCodes.FAILURE;
            }
            try (demo) {
                printWhatToTry(demo, spec.commandLine().getOut());
                stopRequested.await();
                log.info("stopping the demo: teal first, then the applications");
            }
        }
        return ExitCodes.OK;
    }

    private void checkPort(String option, int value) {
        if (value < 0 || value > 65535) {
            throw new ParameterException(
                    spec.commandLine(), option + ": " + value + " (expected: 0-65535, 0 for any free port)");
        }
    }

    private static void printWhatToTry(Demo demo, PrintWriter out) {
        String teal = "localhost:" + demo.proxyAddress().getPort();
        out.println();
        out.printf("teal is listening on http://%s/, in front of two demo applications:%n", teal);
        out.printf(
                "  blue   %-21s gets %d%% of new sessions%n",
                SocketAddresses.format(demo.blueAddress()), 100 - demo.greenPercent());
        out.printf(
                "  green  %-21s gets %d%% of new sessions%n",
                SocketAddresses.format(demo.greenAddress()), demo.greenPercent());
        if (demo.tlsAddress().isPresent()) {
            String https = "https://localhost:" + demo.tlsAddress().get().getPort() + "/";
            out.printf("teal also serves %s with a self-signed certificate for localhost:%n", https);
            out.printf("  curl --cacert %s %s%n", demo.certificate().get(), https);
            out.printf("      trusts it for curl (add --http1.1 -v to see the Secure pin cookie); a browser asks you to"
                    + " accept it%n");
        }
        String admin = demo.adminUri().toString().replaceFirst("/$", "").replace("http://", "");
        out.printf("The dashboard: http://%s/   (admin API on the same port)%n", admin);
        out.println();
        out.println("Try:");
        suggest(out, "open http://" + teal + "/", "the blue application through teal: reload to count your visits");
        suggest(
                out,
                "curl -i " + teal + "/api/whoami",
                "the same as JSON: the application's JSESSIONID and teal's pin cookie (teal=...) pin you to blue");
        suggest(
                out,
                "curl -b /tmp/teal-demo -c /tmp/teal-demo " + teal + "/api/whoami",
                "run it twice: one session, the visit count goes up");
        suggest(
                out,
                "open http://" + teal + "/logout",
                "the application ends your session; the next visit starts a new one");
        suggest(out, "curl " + admin + "/status", "split, sessions, backends, drain state and phases as JSON");
        out.println();
        out.println("A release with a database migration: blue runs version 1 of the application (customer");
        out.println("first_name, last_name), green version 2 (full_name). Watch the phases on the dashboard:");
        suggest(
                out,
                "curl " + admin + "/ramp?green=25",
                "expand adds customer.full_name before green's first session, then a quarter of new sessions go"
                        + " green; pinned ones stay");
        suggest(
                out,
                "open http://" + teal + "/ in a private window",
                "a new session: at green=25 one in four lands on green, and stays there");
        suggest(
                out,
                "scripts/teal ramp --admin http://" + admin + " 100",
                "everything new to green; backfill fills full_name through green's API; blue drains");
        suggest(
                out,
                "(wait until blue's sessions idle out)",
                "contract drops first_name and last_name: blue's version could not read customers any more");
        suggest(out, "curl " + admin + "/ramp?green=0", "refused: the old version cannot run on the contracted schema");
        suggest(out, "curl " + admin + "/phases", "each phase with its journal: times, output, SQL versions applied");
        out.println();
        out.println("Or let teal walk the release by itself (the plan: 10 %, 50 %, 100 %, 20 s holds, judged by");
        out.println("green's own traffic against blue's; the dashboard shows the ladder, countdown and checks):");
        String green = SocketAddresses.format(demo.greenAddress());
        String load = "while true; do curl -s -o /dev/null " + teal + "/api/whoami; done";
        suggest(out, load, "in another terminal: new sessions for the plan to judge (each curl is one)");
        suggest(
                out,
                "curl '" + green + "/api/chaos?error-rate=0.2'",
                "green answers one request in five with a 500 ...");
        suggest(
                out,
                "scripts/teal rollout start --admin http://" + admin,
                "... so the plan rolls itself back at 10 %, saying why (scripts/teal rollout status)");
        suggest(
                out,
                "curl '" + green + "/api/chaos?error-rate=0'; scripts/teal rollout start --admin http://" + admin,
                "green healed: the plan promotes itself step by step to 100 %, then blue drains and contracts");
        out.printf("The database: %s (user sa, no password).%n", demo.databaseUrl());
        out.println();
        out.printf(
                "Sessions idle out after %d minutes without a visit (teal's default: 30), so a whole release takes"
                        + " a few minutes.%n",
                demo.sessionIdleTimeout().toMinutes());
        out.println("Ctrl-C stops teal, then the applications.");
        out.println();
        out.flush();
    }

    private static void suggest(PrintWriter out, String command, String what) {
        out.printf("  %s%n      %s%n", command, what);
    }

    private static void reload() {
        log.info("reload requested (the demo has nothing to reload)");
    }
}
