package dev.teal.admin;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty settings a production proxy wants, applied once at process start before any buffer is made.
 *
 * <p>Leak detection is off unless asked for: at Netty's default level it samples buffers with a stack
 * trace each ({@code Throwable.fillInStackTrace}), which measured 5 to 10 % of teal's CPU under load.
 * {@code -Dio.netty.leakDetection.level=paranoid} (as the test suite runs) or {@code simple} turns it on.
 */
final class NettyDefaults {
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    private NettyDefaults() {}

    static void apply() {
        if (System.getProperty(LEAK_DETECTION) == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
