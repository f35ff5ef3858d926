package dev.lathe.app.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How the running copy was installed, which decides how {@code lathe upgrade} updates it and what {@code lathe doctor}
 * says. The release launcher tells it with {@code -Dlathe.home=<the lathe-VERSION folder>} and
 * {@code -Dlathe.installedBy=archive|npm|image}; without them the copy runs from a checkout ({@code bin/lathe} runs
 * {@code ROOT/app/target/lathe.jar}) or from a bare {@code java -jar}.
 */
public sealed interface Installation {
    String HOME_PROPERTY = "lathe.home";
    String INSTALLED_BY_PROPERTY = "lathe.installedBy";

    /** One line for {@code lathe doctor}. */
    String describe();

    /** Installed by install.sh (or {@code lathe upgrade}) into {@code prefix/lib/lathe/VERSION}, linked from {@code prefix/bin/lathe}. */
    record Script(Path home, Path prefix) implements Installation {
        @Override public String describe() { return "release archive at " + home + " (install.sh, prefix " + prefix + ")"; }
    }

    /** A release archive unpacked somewhere else by hand: nothing says where a new one should go. */
    record Unpacked(Path home) implements Installation {
        @Override public String describe() { return "release archive unpacked at " + home; }
    }

    /** The team server's OCI image ({@code release/oci-image}): a new release is a new image, pulled, not installed into it. */
    record Image(Path home) implements Installation {
        @Override public String describe() { return "container image, release folder " + home + " (a new release is a new image)"; }
    }

    /** The npm package {@code lathe-agent}: npm updates it. */
    record Npm(Path home) implements Installation {
        @Override public String describe() { return "npm package lathe-agent at " + home; }
    }

    /** A git checkout, run through its {@code bin/lathe}: {@code git pull} updates it. */
    record Checkout(Path root) implements Installation {
        @Override public String describe() { return "checkout at " + root + " (bin/lathe)"; }
    }

    /** A jar run by hand ({@code java -jar}), or a build this code cannot place. */
    record Jar(Optional<Path> jar) implements Installation {
        @Override public String describe() { return jar.map(j -> "jar at " + j).orElse("jar (its place unknown)") + " (java -jar, not a release install)"; }
    }

    /** This process's own installation. */
    static Installation current() {
        Optional<Path> code;
        try {
            code = Optional.of(Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception e) {
            code = Optional.empty();
        }
        return of(Map.of(HOME_PROPERTY, System.getProperty(HOME_PROPERTY, ""), INSTALLED_BY_PROPERTY, System.getProperty(INSTALLED_BY_PROPERTY, "")), code);
    }

    /**
     * @param properties {@code lathe.home} and {@code lathe.installedBy} as the launcher set them (empty or absent: not set)
     * @param code the jar (or classes folder) this code was loaded from
     */
    static Installation of(Map<String, String> properties, Optional<Path> code) {
        String by = properties.getOrDefault(INSTALLED_BY_PROPERTY, "");
        String homeText = properties.getOrDefault(HOME_PROPERTY, "");
        if (!homeText.isEmpty() && (by.equals("archive") || by.equals("npm") || by.equals("image"))) {
            Path home = Path.of(homeText).toAbsolutePath().normalize();
            if (by.equals("npm")) return new Npm(home);
            if (by.equals("image")) return new Image(home);
            return scriptPrefix(home).<Installation>map(prefix -> new Script(home, prefix)).orElse(new Unpacked(home));
        }
        Optional<Path> jar = code.map(p -> p.toAbsolutePath().normalize());
        return jar.flatMap(Installation::checkoutOf).<Installation>map(Checkout::new).orElse(new Jar(jar));
    }

    /** {@code PREFIX} when {@code home} is {@code PREFIX/lib/lathe/VERSION}, the layout install.sh makes. */
    private static Optional<Path> scriptPrefix(Path home) {
        Path lathe = home.getParent();
        Path lib = lathe == null ? null : lathe.getParent();
        if (lib == null || lib.getParent() == null || home.getFileName() == null) return Optional.empty();
        boolean layout = lathe.getFileName().toString().equals("lathe") && lib.getFileName().toString().equals("lib")
                && ReleaseVersion.parse(home.getFileName().toString()).isPresent();
        return layout ? Optional.of(lib.getParent()) : Optional.empty();
    }

    /** The checkout whose {@code app/target} holds {@code jar} (the jar or the classes folder), when it has its {@code bin/lathe}. */
    private static Optional<Path> checkoutOf(Path jar) {
        Path target = jar.getParent();
        if (target == null || !target.getFileName().toString().equals("target")) return Optional.empty();
        Path app = target.getParent();
        if (app == null || app.getParent() == null || !app.getFileName().toString().equals("app")) return Optional.empty();
        Path root = app.getParent();
        return Files.isRegularFile(root.resolve("bin/lathe")) && Files.isRegularFile(root.resolve("pom.xml")) ? Optional.of(root) : Optional.empty();
    }
}
