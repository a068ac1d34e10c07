package io.consolechat.protocol.testing;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The seed of one try of a property: the run's base seed (fixed unless {@value Tries#SEED_PROPERTY} says
 * otherwise), the property and the try's number determine it, so the same run draws the same values again.
 * Its text, which is the try's name in the test report, says how to repeat the run.
 */
public record Seed(long base, String property, int index) {
    /** A fresh generator for this try, always drawing the same values. */
    public RandomGenerator random() {
        return new SplittableRandom(base ^ mix(property.hashCode()) ^ mix(index + 0x9E3779B97F4A7C15L));
    }

    private static long mix(long value) {
        // The finalizer of SplitMix64, so that neighbouring tries get unrelated seeds.
        value = (value ^ (value >>> 30)) * 0xBF58476D1CE4E5B9L;
        value = (value ^ (value >>> 27)) * 0x94D049BB133111EBL;
        return value ^ (value >>> 31);
    }

    @Override
    public String toString() {
        return "try " + index + " (-D" + Tries.SEED_PROPERTY + "=" + base + ")";
    }
}
