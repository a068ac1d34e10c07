package io.consolechat.bench;

import java.util.List;

/** One benchmark: runs against a server and says what it measured. */
interface Workload {
    String name();

    List<Result> run(ServerUnderTest server, CommonOptions options) throws Exception;

    /** A room name nobody else uses, so earlier runs' messages cannot mix in. */
    static String freshRoom(String workload) {
        return "bench-" + workload + "-" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
    }
}
