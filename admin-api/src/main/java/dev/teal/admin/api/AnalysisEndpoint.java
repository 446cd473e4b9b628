package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.plan.CheckResult;
import dev.teal.admin.plan.RolloutAnalysis;
import dev.teal.admin.plan.Verdict;
import dev.teal.admin.state.LiveState;
import dev.teal.config.PlanSettings;
import dev.teal.proxy.TrafficControl;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /analysis}: the current rollout judged now by the plan's checks ({@code
 * teal.rollout.plan.analysis}), for an orchestrator that runs the steps itself. An Argo Rollouts web metric
 * reads {@code result}; with {@code gate=true} the status carries the verdict (200 pass, 409 fail or not
 * judged yet), which is what a Flagger webhook (a POST with its own JSON body, ignored) looks at.
 */
final class AnalysisEndpoint implements Endpoint {
    private final PlanSettings plan;
    private final TrafficControl control;
    private final LiveState state;
    private final Clock clock;

    AnalysisEndpoint(PlanSettings plan, TrafficControl control, LiveState state, Clock clock) {
        this.plan = requireNonNull(plan, "plan");
        this.control = requireNonNull(control, "control");
        this.state = requireNonNull(state, "state");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        boolean gate = QueryParams.parse(request, List.of("gate")).bool("gate", false);
        Verdict verdict = RolloutAnalysis.judge(plan, control, state.current().rollout(), clock.instant());
        Map<String, Object> view = PlanViews.analysis(verdict, Optional.empty());
        view.put(
                "rollout",
                Views.rollout(state.current().rollout(), state.current().split()));
        if (gate && verdict.outcome() != CheckResult.Outcome.PASS) {
            throw ApiError.of(
                            HttpResponseStatus.CONFLICT,
                            "analysis " + verdict.outcome().id(),
                            verdict.summary())
                    .with("analysis", view)
                    .exception();
        }
        return ApiResponse.json(view);
    }
}
