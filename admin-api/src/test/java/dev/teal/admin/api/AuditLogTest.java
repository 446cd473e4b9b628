package dev.teal.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditLogTest {
    @Test
    void quotingMakesForgedLinesImpossible() {
        assertThat(AuditLog.quote("green=5\r\nstatus=200 \"ok\""))
                .isEqualTo("\"green=5\\u000d\\u000astatus=200 \\\"ok\\\"\"");
    }
}
