package dev.teal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void theConnectionsShareOneEvenlySpacedStream() {
        // 1,000 requests/s over 4 connections: one request due every millisecond, connection i taking every 4th.
        long start = 5_000 * MS;
        for (int i = 0; i < 4; i++) {
            OpenLoopSchedule s = new OpenLoopSchedule(start, 1000, 4, i);
            assertThat(s.intendedTime(0)).isEqualTo(start + i * MS);
            assertThat(s.intendedTime(1)).isEqualTo(start + (i + 4) * MS);
            assertThat(s.intendedTime(250)).isEqualTo(start + (i + 1000) * MS);
        }
    }

    @Test
    void takeMovesOnOneRequestAtATime() {
        OpenLoopSchedule s = new OpenLoopSchedule(0, 100, 1, 0);
        assertThat(s.next()).isEqualTo(0);
        assertThat(s.take()).isEqualTo(0);
        assertThat(s.take()).isEqualTo(10 * MS);
        assertThat(s.next()).isEqualTo(20 * MS);
        assertThat(s.taken()).isEqualTo(2);
    }

    @Test
    void dueBeforeCountsTheRequestsDueStrictlyBeforeTheDeadline() {
        for (double rate : new double[] {1, 333.3, 1000, 7919}) {
            for (int connections : new int[] {1, 3, 64}) {
                for (int index : new int[] {0, connections - 1}) {
                    OpenLoopSchedule s = new OpenLoopSchedule(123, rate, connections, index);
                    for (long deadline : new long[] {0, 123, 124, 50 * MS, 1_000 * MS + 7}) {
                        long expected = 0;
                        while (s.intendedTime(expected) < deadline) {
                            expected++;
                        }
                        assertThat(s.dueBefore(deadline))
                                .as("rate %s, connection %d of %d, deadline %d", rate, index, connections, deadline)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void aStallCountsForEveryRequestThatWasDueDuringIt() {
        // One connection at 1,000 requests/s against a target answering in 0.1 ms, except request 100,
        // which takes 100 ms. The loop sends as LoadRun does: when due, or as soon as the connection is free.
        OpenLoopSchedule s = new OpenLoopSchedule(0, 1000, 1, 0);
        Histogram fromIntended = new Histogram(3);
        Histogram fromSent = new Histogram(3);
        long now = 0;
        for (int k = 0; k < 1000; k++) {
            long due = s.take();
            long sent = Math.max(now, due);
            long completed = sent + (k == 100 ? 100 * MS : MS / 10);
            fromIntended.recordValue(OpenLoopSchedule.latency(due, completed));
            fromSent.recordValue(completed - sent);
            now = completed;
        }
        // The requests due while request 100 was stuck queued behind it. Request 100 + j completes at
        // 200 + 0.1 j ms and was due at 100 + j ms: 100 - 0.9 j ms late, more than 50 ms for j = 0 to 55.
        // Timed from when they went out, only request 100 itself took that long.
        assertThat(fromIntended.getCountBetweenValues(50 * MS, Long.MAX_VALUE / 4))
                .isEqualTo(56);
        assertThat(fromSent.getCountBetweenValues(50 * MS, Long.MAX_VALUE / 4)).isEqualTo(1);
        assertThat(fromIntended.getValueAtPercentile(99)).isGreaterThan(80 * MS);
        assertThat(fromSent.getValueAtPercentile(99)).isLessThan(MS);
    }

    @Test
    void refusesARateOrAConnectionThatMakesNoSchedule() {
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 0, 1, 0)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new OpenLoopSchedule(0, Double.NaN, 1, 0)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new OpenLoopSchedule(0, 10, 2, 2)).hasMessageContaining("index");
    }
}
