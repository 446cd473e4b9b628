package dev.teal.proxy.session;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * The session table's expiry: {@code idle-timeout} after the last change, never while the session is busy
 * (a request or an upgraded connection open). Every change of a session goes through {@code compute} on
 * its key, so this is evaluated on the new state inside the entry's critical section, the same one
 * eviction takes. Reads change nothing: activity is explicit, never inferred from a lookup.
 */
final class IdleExpiry implements Expiry<SessionKey, Session> {
    final long idleNanos;

    IdleExpiry(long idleNanos) {
        this.idleNanos = idleNanos;
    }

    @Override
    public long expireAfterCreate(SessionKey key, Session session, long currentTime) {
        return session.busy() ? Long.MAX_VALUE : idleNanos;
    }

    @Override
    public long expireAfterUpdate(SessionKey key, Session session, long currentTime, long currentDuration) {
        return session.busy() ? Long.MAX_VALUE : idleNanos;
    }

    @Override
    public long expireAfterRead(SessionKey key, Session session, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
