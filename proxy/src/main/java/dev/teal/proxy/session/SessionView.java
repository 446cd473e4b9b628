package dev.teal.proxy.session;

import dev.teal.config.Color;
import java.time.Duration;

/**
 * One row of {@code /sessions}, for debugging: never the whole key.
 *
 * @param idPrefix the first 8 hex digits of the session key
 * @param color the color it is pinned to
 * @param age time since it was pinned to that color
 * @param idleFor time since its last activity (zero while busy)
 * @param inFlight requests being served
 * @param upgraded open upgraded connections
 */
public record SessionView(String idPrefix, Color color, Duration age, Duration idleFor, int inFlight, int upgraded) {}
