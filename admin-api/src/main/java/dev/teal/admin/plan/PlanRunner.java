package dev.teal.admin.plan;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.plan.CheckResult.Outcome;
import dev.teal.admin.rollout.RampOutcome;
import dev.teal.admin.rollout.RampRefusedException;
import dev.teal.admin.rollout.RampRequest;
import dev.teal.admin.rollout.Ramper;
import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.state.Rollout;
import dev.teal.admin.state.RolloutState;
import dev.teal.admin.state.StateWriteException;
import dev.teal.config.Color;
import dev.teal.config.PlanSettings;
import dev.teal.proxy.ColorTraffic;
import dev.teal.proxy.DrainState;
import dev.teal.proxy.Split;
import dev.teal.proxy.TrafficControl;
import dev.teal.proxy.TrafficSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a rollout through the plan's steps by itself: holds at each, judges it from teal's own counters
 * ({@link Analysis}) and the gate webhooks, then ramps to the next through the same {@link Ramper} as an
 * operator's ramp, so the gating phases, the background phases and the contract run exactly as they would
 * by hand. A failing check rolls back (or pauses); a rollback the contract forbids is refused like a manual
 * one, and the plan pauses and says why. A ramp by anyone else pauses the plan.
 *
 * <p>Durable: every decision is stored in {@code plan.json} before it counts, the hold as the instant it
 * ends, so a restart (even {@code kill -9}) resumes at the same step with the same hold left. A step's ramp
 * is stored by the ramp itself (the split); a restart that finds the split one step further than the file
 * adopts that step instead of ramping again, so no phase runs twice.
 *
 * <p>Threading: decisions are made under this object's monitor, briefly; ramps (which may run gating phases
 * for minutes) run outside it, one at a time, so pause and abort always answer at once. The runner's own
 * thread ticks; the admin workers call the operator's methods.
 */
public final class PlanRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PlanRunner.class);
    /** How long a gate that held the step waits before it is asked again. */
    static final Duration GATE_RETRY = Duration.ofSeconds(10);

    private final PlanSettings plan;
    private final LiveState state;
    private final Ramper ramper;
    private final TrafficControl control;
    private final PlanFile file;
    private final Webhooks webhooks;
    private final Analysis analysis;
    private final Clock clock;
    private final ScheduledExecutorService ticker;
    private final AtomicBoolean stepping = new AtomicBoolean();

    private PlanRun run;
    private volatile Optional<Verdict> verdict = Optional.empty();
    private volatile Optional<CheckResult> gate = Optional.empty();
    private volatile String live = "";
    private long sessionsAtStepStart;
    private Instant nextGateAsk = Instant.MIN;
    private volatile BooleanSupplier leading = () -> true;

    private PlanRunner(
            PlanSettings plan, Path stateDir, LiveState state, Ramper ramper, TrafficControl control, Clock clock) {
        this.plan = requireNonNull(plan, "plan");
        this.state = requireNonNull(state, "state");
        this.ramper = requireNonNull(ramper, "ramper");
        this.control = requireNonNull(control, "control");
        this.clock = requireNonNull(clock, "clock");
        this.file = new PlanFile(stateDir);
        this.analysis = new Analysis(plan.analysis(), plan.minSessions());
        this.run = file.load().orElseGet(() -> PlanRun.idle(clock.instant()));
        this.webhooks = new Webhooks(plan.analysis().webhooks(), plan.notifications());
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "teal-plan");
            t.setDaemon(true);
            return t;
        });
        reconcile();
        sessionsAtStepStart =
                control.traffic(run.newColor(), plan.analysis().window()).sessionsStarted();
    }

    /**
     * Opens the plan stored in {@code stateDir} (if any) and starts ticking every {@code tick}.
     *
     * @throws dev.teal.admin.state.CorruptStateException when {@code plan.json} cannot be read back
     */
    public static PlanRunner start(
            PlanSettings plan,
            Path stateDir,
            LiveState state,
            Ramper ramper,
            TrafficControl control,
            MeterRegistry meters,
            Clock clock,
            Duration tick,
            BooleanSupplier leading) {
        PlanRunner runner = new PlanRunner(plan, stateDir, state, ramper, control, clock);
        runner.leading = requireNonNull(leading, "leading");
        PlanMetrics.bind(meters, runner);
        long millis = tick.toMillis();
        runner.ticker.scheduleWithFixedDelay(runner::safeTick, millis, millis, TimeUnit.MILLISECONDS);
        return runner;
    }

    /** What the plan is, where it stands and its last analysis, for {@code /status} and the dashboard. */
    public synchronized PlanView view() {
        return new PlanView(plan, run, verdict, gate, live, clock.instant());
    }

    /**
     * Starts the plan: ramps to the first step above the split (running its gating phases) and holds there.
     *
     * @param nextRelease passed to the first ramp: the idle color runs a new release (after a contract)
     * @throws PlanRefusedException when a plan is active or new already has 100 %
     * @throws RampRefusedException when the first step was refused (a gating phase failed, say)
     */
    public PlanView start(boolean nextRelease) {
        Instant now = clock.instant();
        DurableState current = state.current();
        Rollout rollout = current.rollout();
        Color newColor;
        int percent;
        if (rollout.state() == RolloutState.RAMPING || rollout.state() == RolloutState.ROLLING_BACK) {
            // Rolling back: the same release again (fixed, say), as a manual ramp up would; its gating
            // phases already ran in this rollout, so they do not run again.
            newColor = rollout.newColor();
            percent = current.split().percent(newColor);
        } else if (rollout.state().complete()) {
            newColor = rollout.liveWhenSettled(current.split()).other();
            percent = 0;
        } else {
            throw new PlanRefusedException("rollout " + rollout.id() + " already has " + rollout.newColor()
                    + " at 100 % and is draining " + rollout.oldColor() + ": nothing left to walk");
        }
        int first = 0;
        while (plan.steps().get(first).percent() < percent) {
            first++;
        }
        int index = first;
        synchronized (this) {
            if (run.state().active()) {
                throw new PlanRefusedException(busy());
            }
            if (!stepping.compareAndSet(false, true)) {
                throw new PlanRefusedException("the plan is changing a step; retry");
            }
        }
        try {
            int target = plan.steps().get(index).percent();
            if (target != percent) {
                ramper.ramp(new RampRequest(Split.of(newColor, target), false, false, nextRelease));
            }
            DurableState after = state.current();
            synchronized (this) {
                Instant at = clock.instant();
                PlanRun started = new PlanRun(
                        after.rollout().id(),
                        newColor.other(),
                        newColor,
                        PlanState.RUNNING,
                        index,
                        Optional.of(at.plus(plan.holdOf(index))),
                        Optional.empty(),
                        false,
                        holding(index, newColor),
                        now,
                        List.of());
                commit(event(
                        started,
                        "started",
                        target,
                        "plan started for rollout " + after.rollout().id() + ": " + newColor.other() + " -> " + newColor
                                + ", steps " + percents()));
                commit(event(
                        run,
                        "step",
                        target,
                        "step " + (index + 1) + " of " + plan.steps().size() + ": " + target + " % to " + newColor
                                + ", holding " + Analysis.human(plan.holdOf(index))));
                stepStarted();
                return view();
            }
        } finally {
            stepping.set(false);
        }
    }

    /** @throws PlanRefusedException unless running */
    public synchronized PlanView pause(String why) {
        if (run.state() != PlanState.RUNNING) {
            throw new PlanRefusedException("the plan is " + run.state() + " (expected: running)");
        }
        pauseNow("paused by the operator" + (why.isEmpty() ? "" : ": " + why));
        return view();
    }

    /**
     * Continues a paused plan from the step the split is at (the same hold left when it is the step it
     * paused at, a full hold at another step).
     *
     * @throws PlanRefusedException unless paused at a split that is one of the plan's steps of its rollout
     */
    public synchronized PlanView resume() {
        if (run.state() != PlanState.PAUSED) {
            throw new PlanRefusedException("the plan is " + run.state() + " (expected: paused)");
        }
        DurableState current = state.current();
        if (current.rollout().id() != run.rolloutId()) {
            throw new PlanRefusedException("the plan walks rollout " + run.rolloutId() + " but rollout "
                    + current.rollout().id() + " is in force; start the plan again instead");
        }
        int percent = current.split().percent(run.newColor());
        int index = indexOf(percent);
        if (index < 0) {
            throw new PlanRefusedException("the split has " + percent + " % on " + run.newColor()
                    + ", which is not a step of the plan " + percents() + "; ramp to one of them first");
        }
        PlanRun resumed = index == run.step()
                ? run.resumed(clock.instant(), holding(index))
                : new PlanRun(
                        run.rolloutId(),
                        run.oldColor(),
                        run.newColor(),
                        PlanState.RUNNING,
                        index,
                        Optional.of(clock.instant().plus(plan.holdOf(index))),
                        Optional.empty(),
                        run.promote(),
                        holding(index),
                        run.startedAt(),
                        run.events());
        commit(event(
                resumed,
                "resumed",
                percent,
                "resumed at step " + (index + 1) + " (" + percent + " %), "
                        + Analysis.human(resumed.holdLeftAt(clock.instant())) + " of its hold left"));
        stepStarted();
        return view();
    }

    /** Stops the plan where it is; the split stays. @throws PlanRefusedException unless running or paused */
    public synchronized PlanView abort() {
        if (!run.state().active()) {
            throw new PlanRefusedException("the plan is " + run.state() + " (expected: running or paused)");
        }
        String why = "aborted by the operator at " + percentNow() + " %; the split stays";
        commit(event(run.paused(clock.instant(), why).with(PlanState.ABORTED, why), "aborted", percentNow(), why));
        return view();
    }

    /**
     * Skips to 100 % once the current step's checks and gates pass, without waiting for its hold.
     *
     * @throws PlanRefusedException unless running below the last step
     */
    public synchronized PlanView promote() {
        if (run.state() != PlanState.RUNNING) {
            throw new PlanRefusedException("the plan is " + run.state() + " (expected: running)");
        }
        if (run.step() == plan.steps().size() - 1) {
            throw new PlanRefusedException("the plan is at its last step already (100 %)");
        }
        String why = "promote: straight to 100 % once step " + (run.step() + 1) + "'s checks and gates pass";
        commit(event(run.promoting(true).with(PlanState.RUNNING, why), "promote", percentNow(), why));
        nextGateAsk = Instant.MIN;
        return view();
    }

    /** The step the plan is at, from 1; 0 when none is active. For {@code teal_rollout_step}. */
    synchronized double stepNumber() {
        return run.state().active() ? run.step() + 1 : 0;
    }

    double checkGauge(String check) {
        if (check.equals(Analysis.WEBHOOKS)) {
            return gate.map(c -> c.outcome().gauge()).orElse(-1.0);
        }
        return verdict.flatMap(v ->
                        v.checks().stream().filter(c -> c.check().equals(check)).findFirst())
                .map(c -> c.outcome().gauge())
                .orElse(-1.0);
    }

    private void safeTick() {
        if (!leading.getAsBoolean()) {
            return; // in a cluster only the leader walks the plan
        }
        try {
            tick();
        } catch (StateWriteException e) {
            log.warn("Plan state could not be stored, will retry: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Plan tick failed, will retry", e);
        }
    }

    /** One look at the plan: judge, wait, or move. Runs on the plan's thread. */
    void tick() {
        if (stepping.get()) {
            return;
        }
        Action action = decide();
        if (action == null) {
            return;
        }
        if (!stepping.compareAndSet(false, true)) {
            return;
        }
        try {
            action.run();
        } finally {
            stepping.set(false);
        }
    }

    /** The work of a tick that needs a ramp, decided under the monitor and carried out outside it. */
    private interface Action {
        void run();
    }

    private synchronized Action decide() {
        observeRollout();
        if (run.state() != PlanState.RUNNING) {
            return null;
        }
        Instant now = clock.instant();
        DurableState current = state.current();
        if (current.rollout().id() != run.rolloutId()) {
            pauseNow("rollout " + current.rollout().id() + " started outside the plan (which walks rollout "
                    + run.rolloutId() + ")");
            return null;
        }
        int percent = current.split().percent(run.newColor());
        int expected = plan.steps().get(run.step()).percent();
        if (percent != expected) {
            pauseNow("the split moved to " + percent + " % on " + run.newColor() + " outside the plan (a manual"
                    + " ramp); the plan was at step " + (run.step() + 1) + " (" + expected + " %)");
            return null;
        }
        Duration window = plan.analysis().window();
        ColorTraffic oldTraffic = control.traffic(run.oldColor(), window);
        ColorTraffic newTraffic = control.traffic(run.newColor(), window);
        long sessions = Math.max(0, newTraffic.sessionsStarted() - sessionsAtStepStart);
        Verdict v = analysis.judge(now, oldTraffic, newTraffic, sessions);
        verdict = Optional.of(v);
        if (v.outcome() == Outcome.FAIL) {
            return fail(v, percent);
        }
        Duration left = run.holdLeftAt(now);
        if (!run.promote() && !left.isZero()) {
            live = holding(run.step()) + ", " + Analysis.human(left) + " left; " + v.summary();
            return null;
        }
        if (v.outcome() == Outcome.NOT_JUDGED) {
            live = "hold over, waiting: " + v.summary();
            return null;
        }
        if (now.isBefore(nextGateAsk)) {
            return null;
        }
        PlanRun from = run;
        return () -> askGatesThenStep(from, v, percent);
    }

    /** Asks the gates (outside the monitor: they may take their timeout), then moves on if nothing changed. */
    private void askGatesThenStep(PlanRun from, Verdict v, int percent) {
        CheckResult asked = webhooks.ask(gateBody(from, v, percent));
        int next;
        synchronized (this) {
            if (run != from) {
                return; // paused, aborted or promoted meanwhile: the next tick decides again
            }
            gate = Optional.of(asked);
            Instant now = clock.instant();
            if (asked.outcome() == Outcome.FAIL) {
                nextGateAsk = now.plus(GATE_RETRY);
                if (!lastEventIs("held", asked.why())) {
                    commit(event(run, "held", percent, "step " + (run.step() + 1) + " " + asked.why()));
                }
                live = "step " + (run.step() + 1) + " " + asked.why() + "; asking again in "
                        + Analysis.human(GATE_RETRY);
                return;
            }
            nextGateAsk = Instant.MIN;
            int last = plan.steps().size() - 1;
            if (run.step() == last) {
                String why = "every step passed: " + run.newColor() + " has 100 %; " + run.oldColor()
                        + " drains and the contract runs as for any ramp";
                commit(event(run.with(PlanState.COMPLETED, why), "completed", percent, why));
                return;
            }
            next = run.promote() ? last : run.step() + 1;
        }
        stepTo(from, next, v);
    }

    private void stepTo(PlanRun from, int next, Verdict passed) {
        int target = plan.steps().get(next).percent();
        try {
            RampOutcome outcome = ramper.ramp(new RampRequest(Split.of(from.newColor(), target), false, false, false));
            synchronized (this) {
                PlanRun moved = run.atStep(next, clock.instant().plus(plan.holdOf(next)))
                        .promoting(false);
                String why = "step " + (from.step() + 1) + " passed (" + passed.summary() + "); step " + (next + 1)
                        + " of " + plan.steps().size() + ": " + target + " % to " + from.newColor() + ", holding "
                        + Analysis.human(plan.holdOf(next));
                if (run.state() == PlanState.RUNNING) {
                    moved = moved.with(PlanState.RUNNING, holding(next));
                } else {
                    // Paused or aborted while the ramp ran: the step happened, the plan stays stopped there.
                    moved = moved.paused(clock.instant(), run.reason()).with(run.state(), run.reason());
                }
                commitAfterRamp(event(moved, "step", target, why));
                stepStarted();
                log.info("Plan: {} ({})", why, String.join("; ", outcome.changes()));
            }
        } catch (RampRefusedException e) {
            synchronized (this) {
                if (run.state() == PlanState.RUNNING) {
                    pauseNow("the step to " + target + " % was refused: " + e.getMessage());
                }
            }
        }
    }

    /** A check failed: pause, or roll back to old (which the contract may refuse: then pause). */
    private Action fail(Verdict v, int percent) {
        String failed = "step " + (run.step() + 1) + " (" + percent + " %) failed: " + v.summary();
        commit(event(run, "failed", percent, failed));
        if (plan.onFailure() == PlanSettings.OnFailure.PAUSE) {
            pauseNow(failed);
            return null;
        }
        PlanRun from = run;
        return () -> rollBack(from, failed);
    }

    private void rollBack(PlanRun from, String failed) {
        try {
            ramper.ramp(new RampRequest(Split.of(from.oldColor(), 100), false, plan.rollbackForce(), false));
            synchronized (this) {
                String why = failed + "; rolled back: " + from.oldColor() + " has 100 % again"
                        + (plan.rollbackForce() ? " and the sessions on " + from.newColor() + " move to it" : "");
                commitAfterRamp(
                        event(run.paused(clock.instant(), why).with(PlanState.ROLLED_BACK, why), "rollback", 0, why));
            }
        } catch (RampRefusedException e) {
            synchronized (this) {
                pauseNow(failed + "; rollback refused: " + e.getMessage());
            }
        }
    }

    /** Tells of the drain and the contract of the plan's rollout once, as they happen. */
    private void observeRollout() {
        if (run.state() != PlanState.RUNNING && run.state() != PlanState.COMPLETED) {
            return;
        }
        DurableState current = state.current();
        Rollout rollout = current.rollout();
        if (rollout.id() != run.rolloutId() || !current.split().allTo(run.newColor())) {
            return;
        }
        if (!hasEvent("drained")) {
            TrafficSnapshot snapshot = control.snapshot();
            boolean drained = rollout.state() == RolloutState.CONTRACTED
                    || rollout.state() == RolloutState.SETTLED
                    || (snapshot.color(run.oldColor()) != null
                            && snapshot.color(run.oldColor()).drain() == DrainState.DRAINED);
            if (drained) {
                commit(event(run, "drained", 100, run.oldColor() + " has drained"));
            }
        }
        if (rollout.state() == RolloutState.CONTRACTED && !hasEvent("contracted")) {
            commit(event(
                    run,
                    "contracted",
                    100,
                    "rollout " + rollout.id() + " contracted: the contract phase ran;" + " a rollback to "
                            + run.oldColor() + " is refused from now on"));
        }
    }

    /** After a restart: the split one step further than the file means the step's ramp landed, not its record. */
    private void reconcile() {
        if (!run.state().active()) {
            return;
        }
        DurableState current = state.current();
        if (current.rollout().id() != run.rolloutId()) {
            return; // the tick pauses it, saying why
        }
        int index = indexOf(current.split().percent(run.newColor()));
        if (index > run.step()) {
            log.info(
                    "Plan: the split is at step {} but the plan file says {}: the step's ramp landed before the"
                            + " restart; holding there",
                    index + 1,
                    run.step() + 1);
            PlanRun adopted =
                    run.atStep(index, clock.instant().plus(plan.holdOf(index))).promoting(false);
            commit(run.state() == PlanState.PAUSED ? adopted.paused(clock.instant(), run.reason()) : adopted);
        }
        if (run.state() == PlanState.RUNNING) {
            log.info(
                    "Plan resumed after a restart: rollout {}, step {} ({} %), {} of the hold left",
                    run.rolloutId(),
                    run.step() + 1,
                    plan.steps().get(run.step()).percent(),
                    Analysis.human(run.holdLeftAt(clock.instant())));
        }
    }

    private void pauseNow(String why) {
        commit(event(run.paused(clock.instant(), why), "paused", percentNow(), why));
        live = why;
    }

    private void stepStarted() {
        sessionsAtStepStart =
                control.traffic(run.newColor(), plan.analysis().window()).sessionsStarted();
        verdict = Optional.empty();
        gate = Optional.empty();
        nextGateAsk = Instant.MIN;
        live = run.reason();
    }

    /** Stores {@code next}, then makes it the plan in force and tells the notification webhooks. */
    private void commit(PlanRun next) {
        file.save(next);
        announce(next);
    }

    /**
     * Like {@link #commit}, after a ramp that already happened: the split is stored, so a failure to store
     * the plan is logged and the plan goes on (a restart adopts the step from the split).
     */
    private void commitAfterRamp(PlanRun next) {
        try {
            file.save(next);
        } catch (StateWriteException e) {
            log.warn(
                    "Plan state could not be stored after the ramp; a restart adopts the step from the split: {}",
                    e.getMessage());
        }
        announce(next);
    }

    private void announce(PlanRun next) {
        PlanEvent newest =
                next.events().isEmpty() ? null : next.events().get(next.events().size() - 1);
        boolean fresh = newest != null
                && (run.events().isEmpty()
                        || !run.events().get(run.events().size() - 1).equals(newest));
        run = next;
        live = next.reason();
        if (fresh) {
            log.info("Plan {}: {}", newest.type(), newest.message());
            webhooks.tell(notification(newest));
        }
    }

    private PlanRun event(PlanRun base, String type, int percent, String message) {
        return base.logged(new PlanEvent(clock.instant(), type, percent, message))
                .with(base.state(), reasonFor(base, type, message));
    }

    private static String reasonFor(PlanRun base, String type, String message) {
        return type.equals("drained") || type.equals("contracted") || type.equals("held") || type.equals("failed")
                ? base.reason()
                : message;
    }

    private boolean hasEvent(String type) {
        return run.events().stream().anyMatch(e -> e.type().equals(type));
    }

    private boolean lastEventIs(String type, String contains) {
        if (run.events().isEmpty()) {
            return false;
        }
        PlanEvent last = run.events().get(run.events().size() - 1);
        return last.type().equals(type) && last.message().contains(contains);
    }

    private Map<String, Object> notification(PlanEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event.type());
        body.put("at", event.at().toString());
        body.put("rollout", run.rolloutId());
        body.put("old", run.oldColor().id());
        body.put("new", run.newColor().id());
        body.put("state", run.state().id());
        body.put("step", run.step() + 1);
        body.put("steps", plan.steps().size());
        body.put("percent", event.percent());
        body.put("message", event.message());
        return body;
    }

    private Map<String, Object> gateBody(PlanRun run, Verdict v, int percent) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "gate");
        body.put("rollout", run.rolloutId());
        body.put("old", run.oldColor().id());
        body.put("new", run.newColor().id());
        body.put("step", run.step() + 1);
        body.put("percent", percent);
        int last = plan.steps().size() - 1;
        body.put(
                "next",
                run.step() == last
                        ? null
                        : plan.steps()
                                .get(run.promote() ? last : run.step() + 1)
                                .percent());
        body.put(
                "analysis",
                v.checks().stream()
                        .map(c -> Map.of(
                                "check", c.check(), "result", c.outcome().id(), "value", c.value(), "why", c.why()))
                        .toList());
        return body;
    }

    private int indexOf(int percent) {
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.steps().get(i).percent() == percent) {
                return i;
            }
        }
        return -1;
    }

    private int percentNow() {
        return state.current().split().percent(run.newColor());
    }

    private String holding(int index) {
        return holding(index, run.newColor());
    }

    private String holding(int index, Color newColor) {
        return "holding at step " + (index + 1) + " of " + plan.steps().size() + " ("
                + plan.steps().get(index).percent() + " % to " + newColor + ")";
    }

    private String busy() {
        return "a plan is " + run.state() + " for rollout " + run.rolloutId() + " at step " + (run.step() + 1) + " ("
                + plan.steps().get(Math.max(0, run.step())).percent() + " %); abort it first";
    }

    private String percents() {
        return plan.steps().stream()
                .map(s -> Integer.toString(s.percent()))
                .toList()
                .toString();
    }

    /** Stops ticking. Nothing is written: the file already holds the last decision. */
    @Override
    public void close() {
        ticker.shutdownNow();
        webhooks.close();
    }
}
