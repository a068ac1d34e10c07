/**
 * Property-based fuzzing of the HTTP API through real HTTP against one real server per test class: bodies,
 * room paths, query parameters, Authorization headers and malformed requests over a raw socket. Every request
 * must be answered in time, never with a 5xx, every refusal of ours in JSON; afterwards the server must answer
 * /health and its data must be unchanged except for what the fuzzer's own accepted requests wrote.
 *
 * <p>Each property is a JUnit 5 parameterised test with a number of tries (see
 * {@link io.consolechat.protocol.testing.Tries}); each try draws its inputs from a random generator seeded from
 * a fixed base seed, so a run tries the same requests on every machine and a failing try's name says how to
 * repeat it. CI runs a few hundred tries per property, 2,800 requests in all (well under two minutes). A
 * longer run, with fresh inputs:
 * <pre>
 * ./mvnw -B -ntp -pl server -am verify -Dtest='*Fuzz*' -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dproperty.tries=20000 -Dproperty.seed=random
 * </pre>
 * Each class prints a summary (requests made, statuses seen, refusals Jetty made in its own format) to its
 * test output in {@code server/target/surefire-reports}.
 */
package io.consolechat.server.fuzz;
