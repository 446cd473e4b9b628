package dev.teal.proxy;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import java.time.Duration;
import java.util.Optional;

/**
 * One color's traffic over a sliding window, from teal's own counters: what a release is judged by.
 *
 * @param color which color
 * @param window the span actually covered (the one asked for, rounded up to the counters' time slots)
 * @param requests responses in the window (forwarded from a backend, or teal's own 502/503/504)
 * @param errors those with a 5xx status
 * @param p50 median latency from the request's head to the end of its response, to within a quarter;
 *     empty without requests
 * @param p99 99th percentile latency, likewise
 * @param sessionsStarted sessions started on the color since the data plane started (not windowed)
 */
public record ColorTraffic(
        Color color,
        Duration window,
        long requests,
        long errors,
        Optional<Duration> p50,
        Optional<Duration> p99,
        long sessionsStarted) {
    public ColorTraffic {
        requireNonNull(color, "color");
        requireNonNull(window, "window");
        requireNonNull(p50, "p50");
        requireNonNull(p99, "p99");
    }

    /** Nothing seen: for data planes that keep no counters. */
    public static ColorTraffic none(Color color, Duration window) {
        return new ColorTraffic(color, window, 0, 0, Optional.empty(), Optional.empty(), 0);
    }

    /** The share of responses that were 5xx, 0-1; 0 without requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }
}
