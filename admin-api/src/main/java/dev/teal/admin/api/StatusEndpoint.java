package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.cluster.ClusterView;
import dev.teal.admin.cluster.Leadership;
import dev.teal.admin.phase.PhaseRunner;
import dev.teal.admin.plan.PlanRunner;
import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.LiveState;
import dev.teal.proxy.TrafficControl;
import dev.teal.proxy.TrafficSnapshot;
import dev.teal.proxy.discovery.DiscoveredName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /status}: the split, the rollout, both colors (backends, sessions, requests, upgraded
 * connections, drain), the migration phases with their state in the current rollout, the cluster (the
 * store, and which state version each instance applied), and the release plan with its last analysis.
 */
final class StatusEndpoint implements Endpoint {
    private final TrafficControl control;
    private final LiveState state;
    private final Optional<PhaseRunner> phases;
    private final ClusterView cluster;
    private final Leadership leadership;
    private final Optional<PlanRunner> plan;
    private final Supplier<List<DiscoveredName>> discovery;

    StatusEndpoint(
            TrafficControl control,
            LiveState state,
            Optional<PhaseRunner> phases,
            ClusterView cluster,
            Leadership leadership,
            Optional<PlanRunner> plan,
            Supplier<List<DiscoveredName>> discovery) {
        this.discovery = requireNonNull(discovery, "discovery");
        this.control = requireNonNull(control, "control");
        this.state = requireNonNull(state, "state");
        this.phases = requireNonNull(phases, "phases");
        this.cluster = requireNonNull(cluster, "cluster");
        this.leadership = requireNonNull(leadership, "leadership");
        this.plan = requireNonNull(plan, "plan");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        QueryParams.parse(request, List.of());
        return ApiResponse.json(view());
    }

    /** The view {@code GET /status} answers and {@code GET /events} pushes. */
    Map<String, Object> view() {
        DurableState durable = state.current();
        TrafficSnapshot snapshot = control.snapshot();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("at", Times.iso(snapshot.at()));
        view.put("split", Views.split(snapshot.split()));
        view.put("rollout", Views.rollout(durable.rollout(), durable.split()));
        view.put("colors", Views.colors(snapshot.colors(), snapshot.split()));
        view.put(
                "phases", phases.map(runner -> PhaseViews.board(runner.board())).orElse(List.of()));
        view.put("cluster", Views.cluster(state, cluster, leadership));
        view.put("plan", plan.map(runner -> PlanViews.plan(runner.view())).orElseGet(PlanViews::none));
        view.put("discovery", Views.discovery(discovery.get()));
        return view;
    }
}
