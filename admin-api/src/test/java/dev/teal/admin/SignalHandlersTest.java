package dev.teal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

@SuppressWarnings("try") // the handlers are held for the try block, never referenced in it
class SignalHandlersTest {
    private final CountDownLatch stopped = new CountDownLatch(2);
    private final CountDownLatch reloaded = new CountDownLatch(1);

    @Test
    void stopsOnTermAndOnInt() throws InterruptedException {
        try (SignalHandlers handlers = SignalHandlers.install(stopped::countDown, reloaded::countDown)) {
            Signal.raise(new Signal("TERM"));
            Signal.raise(new Signal("INT"));

            assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reloaded.getCount()).isEqualTo(1);
        }
    }

    @Test
    void reloadsOnHup() throws InterruptedException {
        try (SignalHandlers handlers = SignalHandlers.install(stopped::countDown, reloaded::countDown)) {
            Signal.raise(new Signal("HUP"));

            assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stopped.getCount()).isEqualTo(2);
        }
    }

    @Test
    void closingRestoresTheHandlersThatWereThereBefore() throws InterruptedException {
        CountDownLatch before = new CountDownLatch(1);
        Signal hup = new Signal("HUP");
        SignalHandler original = Signal.handle(hup, signal -> before.countDown());
        try {
            SignalHandlers.install(stopped::countDown, reloaded::countDown).close();

            Signal.raise(hup);

            assertThat(before.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reloaded.getCount()).isEqualTo(1);
        } finally {
            Signal.handle(hup, original);
        }
    }
}
