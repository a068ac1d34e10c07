package io.consolechat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time and memory of a process, read from Linux's {@code /proc/<pid>/stat} and {@code /proc/<pid>/status}.
 * {@code peakRssBytes} is VmHWM, the high-water mark of the resident set since the process started.
 * {@code threads} is the CPU time of its live threads by name, numbered threads of one kind together
 * ({@code fan-out-0} and {@code fan-out-1} as {@code fan-out}); Linux keeps the first 15 characters of a name.
 */
public record ProcessStats(Duration cpu, long rssBytes, long peakRssBytes, Map<String, Duration> threads) {
    /** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux build this runs on (USER_HZ). */
    private static final long TICKS_PER_SECOND = 100;
    /** The number that tells threads of one kind apart, at the end of the name. */
    private static final Pattern THREAD_NUMBER = Pattern.compile("[-#]?\\d+$");

    public static ProcessStats of(long pid) {
        var dir = Path.of("/proc", Long.toString(pid));
        try {
            long rss = 0;
            long peak = 0;
            for (var line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kibibytes(line) * 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kibibytes(line) * 1024;
                }
            }
            return new ProcessStats(cpu(Files.readString(dir.resolve("stat"))), rss, peak, threads(dir));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + " (Linux only): " + e.getMessage(), e);
        }
    }

    public static ProcessStats self() {
        return of(ProcessHandle.current().pid());
    }

    /** The CPU time by thread kind since {@code earlier}; kinds with none left out, threads that ended uncounted. */
    Map<String, Duration> threadsSince(ProcessStats earlier) {
        var spent = new TreeMap<String, Duration>();
        threads.forEach((name, now) -> {
            var delta = now.minus(earlier.threads.getOrDefault(name, Duration.ZERO));
            if (delta.isPositive()) {
                spent.put(name, delta);
            }
        });
        return spent;
    }

    /** The user and system time in a {@code stat} file's line. */
    private static Duration cpu(String stat) {
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
    }

    private static Map<String, Duration> threads(Path process) throws IOException {
        var byKind = new TreeMap<String, Duration>();
        List<Path> tasks;
        try (Stream<Path> listing = Files.list(process.resolve("task"))) {
            tasks = listing.toList();
        }
        for (var task : tasks) {
            String stat;
            try {
                stat = Files.readString(task.resolve("stat"));
            } catch (IOException e) {
                // The thread ended since the listing.
                continue;
            }
            var name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            var kind = THREAD_NUMBER.matcher(name).replaceFirst("");
            byKind.merge(kind.isEmpty() ? name : kind, cpu(stat), Duration::plus);
        }
        return byKind;
    }

    private static long kibibytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
