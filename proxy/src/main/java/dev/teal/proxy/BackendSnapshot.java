package dev.teal.proxy;

import dev.teal.config.Backend;
import java.time.Instant;
import java.util.Optional;

/**
 * One backend instance as the data plane sees it now.
 *
 * @param backend the instance
 * @param healthy whether it gets requests (active check passing and not ejected)
 * @param ejectedUntil when a passive ejection ends, if it is ejected
 * @param outstanding requests it is serving now
 */
public record BackendSnapshot(Backend backend, boolean healthy, Optional<Instant> ejectedUntil, int outstanding) {}
