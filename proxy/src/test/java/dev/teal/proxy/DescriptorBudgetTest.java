package dev.teal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.config.TealSettings;
import dev.teal.config.UpstreamSettings;
import dev.teal.proxy.testing.TestSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Catalogue row L11, the arithmetic: what fits a descriptor limit, and what is refused. */
class DescriptorBudgetTest {
    /** One backend per color, 8 idle connections per backend and event loop. */
    private static TealSettings settings(TestSettings t) {
        TealSettings base = t.build();
        return t.upstream(new UpstreamSettings(
                        8, base.upstream().idleTimeout(), base.upstream().passiveHealth()))
                .build();
    }

    private static TestSettings oneEach() {
        return TestSettings.backends(
                List.of(new dev.teal.config.Backend(new dev.teal.config.HostPort("127.0.0.1", 1))),
                List.of(new dev.teal.config.Backend(new dev.teal.config.HostPort("127.0.0.1", 2))));
    }

    @Test
    void lowersAnAutoLimitToWhatFits() {
        // 8 x 2 loops x 2 backends = 32 pooled, 2 health checks, 256 reserved: 290 fixed.
        DescriptorBudget budget = DescriptorBudget.plan(settings(oneEach()), 2, 1290);
        assertThat(budget.fixedCost()).isEqualTo(290);
        assertThat(budget.connections()).isEqualTo(500);
        assertThat(budget.lowered(settings(oneEach()).limits())).isTrue();
        assertThat(budget.connectionLimit(settings(oneEach()).limits())).isEqualTo(500);
    }

    @Test
    void keepsAnAutoLimitThatFits() {
        DescriptorBudget budget = DescriptorBudget.plan(settings(oneEach()), 2, 1_048_576);
        assertThat(budget.connections()).isEqualTo(10000);
        assertThat(budget.lowered(settings(oneEach()).limits())).isFalse();
    }

    @Test
    void refusesAConfiguredLimitThatDoesNotFitWithTheNumbers() {
        TealSettings s = settings(oneEach().maxConnections(600));
        assertThatThrownBy(() -> DescriptorBudget.plan(s, 2, 1290))
                .isInstanceOf(DescriptorBudget.TooFewDescriptorsException.class)
                .hasMessageContaining("max-connections = 600 needs 1490 file descriptors")
                .hasMessageContaining("32 pooled backend connections (8 per backend x 2 event loops x 2 backends)")
                .hasMessageContaining("may open 1290 (RLIMIT_NOFILE); at most 500 connections fit");
        assertThat(DescriptorBudget.plan(settings(oneEach().maxConnections(500)), 2, 1290)
                        .connections())
                .isEqualTo(500);
    }

    @Test
    void refusesWhenNotEvenOneConnectionFits() {
        assertThatThrownBy(() -> DescriptorBudget.plan(settings(oneEach()), 2, 291))
                .isInstanceOf(DescriptorBudget.TooFewDescriptorsException.class)
                .hasMessageContaining("no client connection fits");
    }

    @Test
    void readsThisProcesssLimit() {
        assertThat(DescriptorBudget.processLimit()).isPresent();
        assertThat(DescriptorBudget.processLimit().getAsLong()).isPositive();
    }
}
