package dev.teal.admin.api;

import dev.teal.admin.cluster.ClusterView;
import dev.teal.admin.cluster.InstanceView;
import dev.teal.admin.cluster.Leadership;
import dev.teal.admin.state.DurableState;
import dev.teal.admin.state.LiveState;
import dev.teal.admin.state.Rollout;
import dev.teal.admin.state.StoreStatus;
import dev.teal.config.Color;
import dev.teal.proxy.BackendSnapshot;
import dev.teal.proxy.ColorSnapshot;
import dev.teal.proxy.Split;
import dev.teal.proxy.discovery.DiscoveredName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes the admin API answers with, in one place, with their key order fixed. Instants are
 * ISO-8601 strings with millisecond precision ({@link Times}), absent ones {@code null}.
 */
final class Views {
    private Views() {}

    static Map<String, Object> split(Split split) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("blue", split.blue());
        view.put("green", split.green());
        return view;
    }

    static Map<String, Object> rollout(Rollout rollout, Split split) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", rollout.id());
        view.put("old", rollout.oldColor().id());
        view.put("new", rollout.newColor().id());
        view.put("state", rollout.state().id());
        view.put(
                "live",
                rollout.state().complete() ? rollout.liveWhenSettled(split).id() : null);
        view.put("startedAt", Times.iso(rollout.startedAt()));
        view.put("changedAt", Times.iso(rollout.changedAt()));
        return view;
    }

    static Map<String, Object> color(ColorSnapshot color, Split split) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("share", split.percent(color.color()));
        List<Map<String, Object>> backends = new ArrayList<>();
        for (BackendSnapshot backend : color.backends()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("address", backend.backend().toString());
            b.put("healthy", backend.healthy());
            b.put("ejectedUntil", instant(backend.ejectedUntil()));
            b.put("outstanding", backend.outstanding());
            backends.add(b);
        }
        view.put("backends", backends);
        view.put("activeSessions", color.activeSessions());
        view.put("inFlight", color.inFlight());
        view.put("upgraded", color.upgraded());
        view.put("drain", color.drain().id());
        view.put("drainDeadline", instant(color.drainDeadline()));
        view.put("drainEstimate", instant(color.drainEstimate()));
        return view;
    }

    static Map<String, Object> colors(Map<Color, ColorSnapshot> colors, Split split) {
        Map<String, Object> view = new LinkedHashMap<>();
        for (Color color : Color.values()) {
            ColorSnapshot snapshot = colors.get(color);
            if (snapshot != null) {
                view.put(color.id(), color(snapshot, split));
            }
        }
        return view;
    }

    /**
     * Per color, its DNS names: where each backend came from, when the name last resolved, when it is
     * asked again, and why its last resolution failed (null when it did not).
     */
    static Map<String, Object> discovery(List<DiscoveredName> names) {
        Map<String, Object> view = new LinkedHashMap<>();
        for (Color c : Color.values()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (DiscoveredName n : names) {
                if (n.color() != c) {
                    continue;
                }
                Map<String, Object> name = new LinkedHashMap<>();
                name.put("source", n.source().toString());
                name.put("backends", n.backends().stream().map(Object::toString).toList());
                name.put("refreshedAt", instant(n.refreshed()));
                name.put("nextRefreshAt", instant(n.nextRefresh()));
                name.put("failure", n.failure().orElse(null));
                list.add(name);
            }
            view.put(c.id(), list);
        }
        return view;
    }

    private static String instant(Optional<Instant> instant) {
        return Times.iso(instant);
    }

    /** The durable state with its version in the store: what a refused change was up against. */
    static Map<String, Object> state(DurableState state, long version) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("version", version);
        view.put("split", split(state.split()));
        view.put("rollout", rollout(state.rollout(), state.split()));
        return view;
    }

    static List<Map<String, Object>> instances(List<InstanceView> instances) {
        return instances(instances, Optional.empty());
    }

    static List<Map<String, Object>> instances(List<InstanceView> instances, Optional<String> leader) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (InstanceView instance : instances) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", instance.id());
            view.put("self", instance.self());
            view.put("leader", leader.filter(instance.id()::equals).isPresent());
            view.put("admin", instance.admin());
            view.put("appliedVersion", instance.appliedVersion());
            view.put("joinedAt", instance.joinedAt().toString());
            views.add(view);
        }
        return views;
    }

    /** Which store holds the state, whether it is reachable, and each instance's applied version. */
    static Map<String, Object> cluster(LiveState state, ClusterView cluster, Leadership leadership) {
        StoreStatus status = state.store().status();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("store", state.store().shared() ? "zookeeper" : "file");
        view.put("location", state.describeStore());
        view.put("connected", status.connected());
        view.put("unreachableSince", status.lostSince().map(Instant::toString).orElse(null));
        view.put("stateVersion", state.version());
        Optional<String> leader = cluster.shared()
                ? leadership.leader().map(InstanceView::id)
                : Optional.of(cluster.instances().get(0).id());
        view.put("leader", leader.orElse(null));
        view.put("leading", leadership.isLeader());
        List<InstanceView> instances = cluster.instances();
        view.put("converged", instances.stream().allMatch(i -> i.appliedVersion() >= state.version()));
        view.put("instances", instances(instances, leader));
        return view;
    }
}
