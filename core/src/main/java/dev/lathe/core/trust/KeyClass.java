package dev.lathe.core.trust;

import java.util.EnumSet;
import java.util.Set;

/**
 * What one configuration key can reach and what a project's value of it gets (DESIGN §30): {@code reach} is empty for a
 * key that reaches nothing outside the project; otherwise {@code project} says whether a project's value is
 * {@link Project#APPLIED applied} as written (it reaches only what the user already configured), {@link Project#PINNED
 * withheld until trusted and pinned once trusted}, or never taken from a project ({@link Project#USER_ONLY}).
 */
public record KeyClass(Set<Reach> reach, Project project) {
    public static final KeyClass NONE = new KeyClass(Set.of(), Project.APPLIED);

    public KeyClass {
        reach = reach.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(reach));
        if (reach.isEmpty() && project != Project.APPLIED) throw new IllegalArgumentException("a key that reaches nothing is applied");
    }

    /** How a project's own file's value of the key is treated. */
    public enum Project {
        APPLIED,
        PINNED,
        USER_ONLY
    }

    public static KeyClass pinned(Reach... reach) { return new KeyClass(Set.of(reach), Project.PINNED); }

    public static KeyClass applied(Reach... reach) { return new KeyClass(Set.of(reach), Project.APPLIED); }

    public static KeyClass userOnly(Reach... reach) { return new KeyClass(Set.of(reach), Project.USER_ONLY); }

    public boolean reaches() { return !reach.isEmpty(); }

    /** Whether a project's value is held back until the folder is trusted (and again when it changes). */
    public boolean pinnedByTrust() { return project == Project.PINNED; }
}
