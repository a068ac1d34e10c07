package io.consolechat.protocol.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Random values of one kind for property tests, drawn from the random generator of a {@link Seed} so that a
 * failing try can be run again. Besides uniform values, each generator picks its edge cases (the ends of a
 * range, empty and longest strings, characters that break naive code) more often than chance would.
 */
@FunctionalInterface
public interface Gen<T> {
    /** How often, out of 8, a number or a size is an edge case rather than uniform. */
    int EDGE_IN_8 = 1;

    /**
     * Characters that break text handling: NUL, line ends of every kind, DEL, C1 controls, invisible and
     * bidirectional formatting, non-characters and lone surrogates.
     */
    String AWKWARD_CHARS = "\u0000\t\n\r\u001b\u007f\u0085\u009b\u00a0\u00ad\u034f\u061c\u115f\u180e\u2000\u200b"
            + "\u200d\u200e\u2028\u2029\u202e\u2060\u2066\u3000\u3164\ud800\udfff\ufe0f\ufeff\ufffd\ufffe\uffff";

    T next(RandomGenerator random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    /** Draws until a value passes; meant for filters that reject rarely. */
    default Gen<T> filter(Predicate<? super T> keep) {
        return random -> {
            for (int i = 0; i < 10_000; i++) {
                var value = next(random);
                if (keep.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("the filter rejected 10,000 values in a row");
        };
    }

    default Gen<List<T>> list(int minSize, int maxSize) {
        return random -> {
            int size = size(random, minSize, maxSize);
            var values = new ArrayList<T>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    /** One of the values, each as likely; null is a value like any other. */
    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        var copy = Arrays.copyOf(values, values.length);
        return random -> copy[random.nextInt(copy.length)];
    }

    /** A value of one of the generators, each as likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        var copy = Arrays.copyOf(generators, generators.length);
        return random -> copy[random.nextInt(copy.length)].next(random);
    }

    /** A generator with how often it is picked, relative to the others of {@link #weighted}. */
    record Weighted<T>(int weight, Gen<? extends T> gen) {
    }

    static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
        return new Weighted<>(weight, gen);
    }

    @SafeVarargs
    static <T> Gen<T> weighted(Weighted<? extends T>... choices) {
        var copy = Arrays.copyOf(choices, choices.length);
        int total = Arrays.stream(copy).mapToInt(Weighted::weight).sum();
        return random -> {
            int pick = random.nextInt(total);
            for (var choice : copy) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new AssertionError("weights sum to " + total);
        };
    }

    /** Whole numbers from min to max; the edge cases are min and max, or the given ones instead. */
    static Gen<Integer> ints(int min, int max, int... edgeCases) {
        var edges = edgeCases.length > 0 ? edgeCases.clone() : new int[] {min, max};
        return random -> random.nextInt(8) < EDGE_IN_8
                ? edges[random.nextInt(edges.length)]
                : (int) random.nextLong(min, (long) max + 1);
    }

    /** Any long; the edge cases are the extremes and the numbers around zero. */
    static Gen<Long> longs() {
        var edges = new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        return random -> random.nextInt(8) < EDGE_IN_8 ? edges[random.nextInt(edges.length)] : random.nextLong();
    }

    static Gen<Boolean> booleans() {
        return RandomGenerator::nextBoolean;
    }

    /** Random bytes, from minSize to maxSize of them. */
    static Gen<byte[]> bytes(int minSize, int maxSize) {
        return random -> {
            var bytes = new byte[size(random, minSize, maxSize)];
            random.nextBytes(bytes);
            return bytes;
        };
    }

    /** One of the characters of the alphabet. */
    static Gen<Character> chars(String alphabet) {
        return random -> alphabet.charAt(random.nextInt(alphabet.length()));
    }

    static Gen<Character> chars(char first, char last) {
        return random -> (char) random.nextInt(first, last + 1);
    }

    /**
     * Any UTF-16 code unit, surrogates included, so that a string of them may be invalid: mostly printable
     * ASCII and the rest of the basic plane, often one of the {@link #AWKWARD_CHARS} or a control character.
     */
    static Gen<Character> anyChar() {
        return weighted(
                weight(4, chars(' ', '~')),
                weight(3, chars(Character.MIN_VALUE, Character.MAX_VALUE)),
                weight(1, chars('\u0000', '\u00ff')),
                weight(1, chars(AWKWARD_CHARS)),
                weight(1, chars(Character.MIN_SURROGATE, Character.MAX_SURROGATE)));
    }

    /** Strings of any characters, also from outside the basic plane (as surrogate pairs), and invalid ones. */
    static Gen<String> strings(int minLength, int maxLength) {
        var unit = anyChar();
        return random -> {
            int length = size(random, minLength, maxLength);
            var text = new StringBuilder(length);
            while (text.length() < length) {
                if (length - text.length() >= 2 && random.nextInt(10) == 0) {
                    text.appendCodePoint(random.nextInt(Character.MIN_SUPPLEMENTARY_CODE_POINT,
                            Character.MAX_CODE_POINT + 1));
                } else {
                    text.append(unit.next(random));
                }
            }
            return text.toString();
        };
    }

    /** Strings of the given characters. */
    static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
        return random -> {
            var text = new StringBuilder();
            for (int length = size(random, minLength, maxLength); text.length() < length; ) {
                text.append(chars.next(random));
            }
            return text.toString();
        };
    }

    /**
     * A size from min to max: sometimes an end of the range, else more often short than long (short inputs
     * find most bugs and are cheap to send), and now and then anywhere in the range.
     */
    static int size(RandomGenerator random, int min, int max) {
        if (min == max) {
            return min;
        }
        return switch (random.nextInt(16)) {
            case 0 -> min;
            case 1 -> max;
            case 2, 3, 4, 5, 6 -> random.nextInt(min, max + 1);
            default -> random.nextInt(min, Math.min(max, min + 16) + 1);
        };
    }
}
