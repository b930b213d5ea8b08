package io.walkstream.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one description of a configuration setting (or, on a {@link JobConfig} field, of a section).
 * {@link ConfigDocs} reads it, with the default from a fresh {@link JobConfig}, to generate {@code
 * docs/configuration.md}; {@code ConfigurationDocTest} fails when a setting has none.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Setting {
    /** What the setting does, in Markdown, one paragraph. */
    String value();
}
