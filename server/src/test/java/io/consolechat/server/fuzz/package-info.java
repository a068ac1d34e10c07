/**
 * Property-based fuzzing of the HTTP API through real HTTP against one real server per test class: bodies,
 * room paths, query parameters, Authorization headers and malformed requests over a raw socket. Every request
 * must be answered in time, never with a 5xx, every refusal of ours in JSON; afterwards the server must answer
 * /health and its data must be unchanged except for what the fuzzer's own accepted requests wrote.
 *
 * <p>CI runs a few hundred tries per property (well under two minutes for all of them). A longer run:
 * <pre>
 * ./mvnw -B -ntp -pl server -am verify -Dtest='*Fuzz*' -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.tries=20000
 * </pre>
 * Each class prints a summary (statuses seen, refusals Jetty made in its own format) to its test output in
 * {@code server/target/surefire-reports}. A failing seed is replayed first on the next run.
 */
package io.consolechat.server.fuzz;
