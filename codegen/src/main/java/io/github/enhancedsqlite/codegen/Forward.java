package io.github.enhancedsqlite.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a hand-written abstract class that holds a JDBC delegate; {@link ForwardingProcessor} writes a subclass,
 * {@link #name()}, that implements every method of {@link #value()} the class leaves abstract by calling the
 * delegate, and passes each {@code SQLException} through the class's {@code checkException(SQLException)}, so a
 * wrapper sees every error of every call in one place (HikariCP's proxies are the model).
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Forward {

    /** The JDBC interface whose methods are forwarded. */
    Class<?> value();

    /** The field of the annotated class (or a superclass) that the calls go to. */
    String field() default "delegate";

    /** The simple name of the generated class, in the annotated class's package. */
    String name();

    /** Interfaces whose methods a superclass of the annotated class already forwards (with its interceptions). */
    Class<?>[] skip() default {};

    /**
     * Passes every {@code ResultSet} a forwarded call returns through the annotated class's
     * {@code wrapResultSet(ResultSet)}, so none leads the application past its wrappers.
     */
    boolean wrapResultSets() default false;
}
