package io.consolechat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @Test
    void threadsOfOneKindAreCountedTogetherAndOnlyForWhatTheySpent() throws Exception {
        var before = ProcessStats.self();
        var spun = new CountDownLatch(2);
        var release = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            Thread.ofPlatform().name("spinner-" + i).daemon(true).start(() -> {
                spin(Duration.ofMillis(200));
                spun.countDown();
                try {
                    // Alive when measured: the CPU time of an ended thread is not in /proc/<pid>/task.
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertThat(spun.await(30, TimeUnit.SECONDS)).isTrue();
            var spent = ProcessStats.self().threadsSince(before);

            assertThat(spent).containsKey("spinner").doesNotContainKeys("spinner-0", "spinner-1");
            // Two threads of 200 ms each, read in clock ticks of 10 ms.
            assertThat(spent.get("spinner")).isBetween(Duration.ofMillis(350), Duration.ofMillis(1000));
            assertThat(spent.values()).allMatch(Duration::isPositive);
        } finally {
            release.countDown();
        }
    }

    /** Uses {@code cpu} of this thread's CPU time, however busy the machine. */
    private static void spin(Duration cpu) {
        var threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + cpu.toNanos();
        while (threads.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
    }
}
