package dev.teal.admin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsOperatorDurations() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("45m")).isEqualTo(Duration.ofMinutes(45));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("PT30M")).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void refusesOtherText() {
        assertThatThrownBy(() -> converter.convert("soon")).hasMessageContaining("'soon' (expected: a duration");
    }
}
