package dev.teal.proxy.wire;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A time-out that is re-armed on every request or chunk without touching the scheduler each time: one
 * scheduled task at most, which, when it fires early, re-schedules itself for the current deadline. Used
 * only on its channel's event loop.
 */
public final class Deadline implements Runnable {
    private final EventLoop loop;
    private final Runnable onExpiry;
    private long deadlineNanos;
    private boolean armed;
    private ScheduledFuture<?> task;
    private long taskAtNanos;

    public Deadline(EventLoop loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    public void arm(long timeoutNanos) {
        deadlineNanos = System.nanoTime() + timeoutNanos;
        armed = true;
        if (task == null) {
            schedule(deadlineNanos);
        } else if (deadlineNanos - taskAtNanos < 0) {
            task.cancel(false);
            schedule(deadlineNanos);
        }
    }

    public void disarm() {
        armed = false;
    }

    /** For a closed channel: drops the pending task too. */
    public void cancel() {
        armed = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void schedule(long atNanos) {
        taskAtNanos = atNanos;
        task = loop.schedule(this, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        task = null;
        if (!armed) {
            return;
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            armed = false;
            onExpiry.run();
        } else {
            schedule(deadlineNanos);
        }
    }
}
