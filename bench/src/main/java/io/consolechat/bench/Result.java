package io.consolechat.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What one workload measured: its headline figures, latency, correctness, resource use and targets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Result(
        String workload,
        String parameters,
        String throughput,
        Latency latency,
        Correctness correctness,
        Usage server,
        Usage load,
        List<Target> targets,
        Map<String, Object> figures) {

    /** Latency percentiles in milliseconds; {@code of} says what was timed. */
    public record Latency(String of, long count, double p50, double p90, double p99, double p999, double max) {
        static Latency ofMicros(String of, Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(of, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(of, micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
        }

        private static double ms(long micros) {
            return Math.round(micros / 10.0) / 100.0;
        }
    }

    /** Deliveries checked against what the senders had confirmed; all but {@code deliveries} must be 0. */
    public record Correctness(long deliveries, long lost, long duplicated, long reordered) {
        boolean clean() {
            return lost == 0 && duplicated == 0 && reordered == 0;
        }
    }

    /**
     * CPU time over the measured phase, as a share of one core, and the peak resident memory (null for the
     * load side and for a server this did not start); {@code cpuSecondsByThread} splits the CPU time by kind of
     * thread (see {@link ProcessStats}), most first, without threads that ended during the phase.
     */
    public record Usage(double cpuSeconds, double cpuPercentOfCore, Long peakRssMiB,
                        Map<String, Double> cpuSecondsByThread) {
    }

    /** A target of the workload and whether this run met it. */
    public record Target(String target, String measured, boolean met) {
    }
}
