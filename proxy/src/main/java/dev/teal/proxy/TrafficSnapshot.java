package dev.teal.proxy;

import dev.teal.config.Color;
import java.time.Instant;
import java.util.Map;

/**
 * The data plane at one instant: the split and both colors.
 *
 * @param at when it was taken
 * @param split the split in force
 * @param colors both colors
 */
public record TrafficSnapshot(Instant at, Split split, Map<Color, ColorSnapshot> colors) {
    public TrafficSnapshot {
        colors = Map.copyOf(colors);
    }

    public ColorSnapshot color(Color color) {
        return colors.get(color);
    }
}
