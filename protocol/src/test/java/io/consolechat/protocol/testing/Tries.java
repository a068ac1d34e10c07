package io.consolechat.protocol.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.AnnotationBasedArgumentsProvider;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * Runs a {@code @ParameterizedTest} once per try, each with its own {@link Seed}:
 * <pre>
 * &#64;ParameterizedTest
 * &#64;Tries(400)
 * void everyInputGetsAnAnswer(Seed seed) {
 *     var input = inputs.next(seed.random());
 *     ...
 * }
 * </pre>
 * The base seed is fixed, so every run tries the same inputs and a failure in CI fails the same way on any
 * machine; a try is known by its number (the {@code [n]} in the report) and the base seed, which its display
 * name shows. {@code -Dproperty.seed=<number>} picks another base seed ({@code random}: a new one, printed
 * once per run), {@code -Dproperty.tries=<n>} sets the number of tries of every property.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ArgumentsSource(Tries.Provider.class)
public @interface Tries {
    String SEED_PROPERTY = "property.seed";
    String TRIES_PROPERTY = "property.tries";
    long DEFAULT_SEED = 20_240_611L;

    /** The number of tries in an ordinary run. */
    int value();

    final class Provider extends AnnotationBasedArgumentsProvider<Tries> {
        @Override
        protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters,
                                                               ExtensionContext context, Tries tries) {
            var base = baseSeed(context);
            var property = context.getRequiredTestClass().getName() + "#" + context.getRequiredTestMethod().getName();
            int count = Integer.getInteger(TRIES_PROPERTY, tries.value());
            return IntStream.rangeClosed(1, count).mapToObj(index -> Arguments.of(new Seed(base, property, index)));
        }

        /** A random base seed is drawn once per run and kept for every property of it. */
        private static long baseSeed(ExtensionContext context) {
            var value = System.getProperty(SEED_PROPERTY, "").strip();
            if (value.isEmpty()) {
                return DEFAULT_SEED;
            }
            if (value.equals("random")) {
                return context.getRoot().getStore(ExtensionContext.Namespace.create(Tries.class))
                        .getOrComputeIfAbsent("seed", key -> drawBaseSeed(), Long.class);
            }
            return Long.parseLong(value);
        }

        /** Printed, so that a failure in a run with a random seed can be repeated (its tries are numbered). */
        private static long drawBaseSeed() {
            long seed = new SplittableRandom().nextLong();
            System.out.println("Property tries of this run: -D" + SEED_PROPERTY + "=" + seed);
            return seed;
        }
    }
}
