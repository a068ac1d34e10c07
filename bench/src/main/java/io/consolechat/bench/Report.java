package io.consolechat.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.consolechat.protocol.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints results as one table with the targets underneath, or as JSON for scripts. */
final class Report {
    private static final String[] COLUMNS = {"workload", "parameters", "throughput", "latency p50/p99/max ms",
        "lost/dup/reord", "server CPU", "server CPU/delivery", "server peak RSS", "load CPU"};

    private Report() {
    }

    static void json(List<Result> results, PrintStream out) {
        try {
            out.println(new Json().mapper().writer().with(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(results));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void table(List<Result> results, PrintStream out) {
        var rows = new ArrayList<String[]>();
        rows.add(COLUMNS);
        for (var r : results) {
            rows.add(new String[] {
                r.workload(),
                r.parameters(),
                r.throughput(),
                r.latency() == null ? "-" : fmt(r.latency().p50()) + " / " + fmt(r.latency().p99()) + " / "
                        + fmt(r.latency().max()),
                r.correctness() == null ? "-" : r.correctness().lost() + "/" + r.correctness().duplicated() + "/"
                        + r.correctness().reordered(),
                r.server() == null ? "n/a" : cpu(r.server()),
                perDelivery(r),
                r.server() == null ? "n/a" : r.server().peakRssMiB() + " MiB",
                cpu(r.load()),
            });
        }
        var widths = new int[COLUMNS.length];
        for (var row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            var line = new StringBuilder();
            for (int c = 0; c < COLUMNS.length; c++) {
                line.append(c == 0 ? "" : "  ").append(pad(rows.get(i)[c], widths[c]));
            }
            out.println(line.toString().stripTrailing());
            if (i == 0) {
                out.println("-".repeat(line.toString().stripTrailing().length()));
            }
        }
        out.println();
        for (var r : results) {
            if (r.latency() != null) {
                out.printf("%s latency is %s (%d samples).%n", r.workload(), r.latency().of(), r.latency().count());
            }
            printByThread(out, r.workload() + " server", r.server());
            printByThread(out, r.workload() + " load", r.load());
            for (var t : r.targets()) {
                out.printf("%s target %-28s %-7s measured %s%n", r.workload(), t.target(), t.met() ? "MET" : "MISSED",
                        t.measured());
            }
        }
    }

    /** One decimal place, for figures. */
    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** A number without a pointless ".0". */
    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** The kinds of thread that took at least a twentieth of a second, most first. */
    private static void printByThread(PrintStream out, String whose, Result.Usage usage) {
        if (usage == null || usage.cpuSecondsByThread() == null) {
            return;
        }
        var parts = usage.cpuSecondsByThread().entrySet().stream()
                .filter(spent -> spent.getValue() >= 0.05)
                .map(spent -> spent.getKey() + " " + String.format(Locale.ROOT, "%.1f s", spent.getValue()))
                .toList();
        if (!parts.isEmpty()) {
            out.printf("%s CPU by thread: %s%n", whose, String.join(", ", parts));
        }
    }

    private static String cpu(Result.Usage usage) {
        return String.format(Locale.ROOT, "%.1f s (%.0f%%)", usage.cpuSeconds(), usage.cpuPercentOfCore());
    }

    /** The server's CPU time over the deliveries checked: what one delivery to one stream costs it. */
    private static String perDelivery(Result r) {
        if (r.server() == null || r.correctness() == null || r.correctness().deliveries() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f µs", r.server().cpuSeconds() * 1e6 / r.correctness().deliveries());
    }

    private static String fmt(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
