package dev.teal.proxy;

import java.util.concurrent.atomic.AtomicLong;

/** Requests in flight and upgraded connections open on one color; updated from every event loop. */
final class ColorTraffic {
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong upgraded = new AtomicLong();
}
