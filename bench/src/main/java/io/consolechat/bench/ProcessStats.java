package io.consolechat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and memory of a process, read from Linux's {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}.
 * {@code peakRssBytes} is VmHWM, the high-water mark of the resident set since the process started.
 */
public record ProcessStats(Duration cpu, long rssBytes, long peakRssBytes) {
    /** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux build this runs on (USER_HZ). */
    private static final long TICKS_PER_SECOND = 100;

    public static ProcessStats of(long pid) {
        var dir = Path.of("/proc", Long.toString(pid));
        try {
            var stat = Files.readString(dir.resolve("stat"));
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            long rss = 0;
            long peak = 0;
            for (var line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kibibytes(line) * 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kibibytes(line) * 1024;
                }
            }
            return new ProcessStats(Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND), rss, peak);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + " (Linux only): " + e.getMessage(), e);
        }
    }

    public static ProcessStats self() {
        return of(ProcessHandle.current().pid());
    }

    private static long kibibytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
