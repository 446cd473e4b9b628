package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
    private String property;
    private ResourceLeakDetector.Level level;

    @BeforeEach
    void remember() {
        property = System.getProperty(NettyDefaults.LEAK_DETECTION);
        level = ResourceLeakDetector.getLevel();
    }

    @AfterEach
    void restore() {
        if (property == null) {
            System.clearProperty(NettyDefaults.LEAK_DETECTION);
        } else {
            System.setProperty(NettyDefaults.LEAK_DETECTION, property);
        }
        ResourceLeakDetector.setLevel(level);
    }

    @Test
    void turnsLeakDetectionOffWhenNobodyAskedForIt() {
        System.clearProperty(NettyDefaults.LEAK_DETECTION);
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);

        NettyDefaults.apply();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void keepsTheLevelAnOperatorOrTheTestSuiteAskedFor() {
        System.setProperty(NettyDefaults.LEAK_DETECTION, "paranoid");
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);

        NettyDefaults.apply();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }
}
