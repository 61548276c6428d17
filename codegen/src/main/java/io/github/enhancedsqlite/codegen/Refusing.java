package io.github.enhancedsqlite.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a hand-written abstract class that stands for a closed JDBC object; {@link ForwardingProcessor} writes a
 * final subclass, {@link #name()}, that implements every method of {@link #value()} the class leaves open by
 * throwing the class's {@code refusal()}. A plain class where a {@link java.lang.reflect.Proxy} would serve: a
 * proxy's class is generated when first used, which cost a short-lived process about a tenth of a second of CPU.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Refusing {

    /** The JDBC interface whose methods refuse. */
    Class<?> value();

    /** The simple name of the generated class, in the annotated class's package. */
    String name();
}
