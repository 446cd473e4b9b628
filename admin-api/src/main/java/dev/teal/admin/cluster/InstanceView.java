package dev.teal.admin.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One live instance as the others see it.
 *
 * @param id its {@code cluster.instance-id}
 * @param admin its admin API, e.g. {@code http://10.0.0.5:9901/}
 * @param appliedVersion the version of the shared state it routes on
 * @param joinedAt when it joined
 * @param self whether it is the instance answering
 */
public record InstanceView(String id, String admin, long appliedVersion, Instant joinedAt, boolean self) {
    public InstanceView {
        requireNonNull(id, "id");
        requireNonNull(admin, "admin");
        requireNonNull(joinedAt, "joinedAt");
    }
}
