package io.consolechat.server.fuzz;

import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets a longer run override the small number of tries each property has in CI:
 * {@code ./mvnw -pl server -am verify -Dtest='*Fuzz*' -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.tries=20000}.
 */
public final class FuzzTries implements AroundPropertyHook {
    static final String PROPERTY = "fuzz.tries";

    /** Added on a test class, it applies to that class's properties. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        var tries = Integer.getInteger(PROPERTY);
        var example = context.targetMethod().isAnnotationPresent(Example.class);
        if (tries != null && tries > 0 && !example) {
            context.attributes().setTries(tries);
        }
        return property.execute();
    }
}
