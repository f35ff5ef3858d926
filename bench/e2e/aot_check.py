"""Whether a Lathe build starts from its JDK AOT caches (decision 539). bin/lathe uses a cache only when it is newer
than app/target/lathe.jar, silently; a bench run of a build whose jar was written again after its caches (a
`package -DskipAot`) measured every Lathe start cold: 1.5 x the wall, +60 MiB, and an A/B blamed the wrong commit.
So bench/run asks, before it measures a build, the launcher's question for every cache its runs use, and the JVM's
too (-XX:AOTMode=on: a cache it cannot map fails the start). An installed release is asked the JVM's question only:
its launcher takes its caches as they are (they were recorded for its jar in the same build).
"""
import os
import subprocess

# the caches of the commands the bench runs: `lathe run --standalone` (CI set), a daemon's client, its `lathe serve`
CACHES = ("lathe.aot", "lathe-client.aot", "lathe-serve.aot")


def problems(root, java, names=CACHES):
    """One line per cache of names that a start of the build in root would run without; [] when all are used."""
    checkout = os.path.exists(os.path.join(root, "app", "target"))
    folder = os.path.join(root, "app", "target") if checkout else os.path.join(root, "lib")
    jar = os.path.join(folder, "lathe.jar")
    if not os.path.isfile(jar):
        return ["%s: no lathe.jar" % folder]
    if not checkout:
        java = os.path.join(root, "runtime", "bin", "java")  # a release's caches belong to its own runtime
    found = []
    for name in names:
        cache = os.path.join(folder, name)
        if not os.path.isfile(cache):
            found.append("%s: no %s (a build without -DskipAot records it)" % (folder, name))
            continue
        if checkout and os.stat(cache).st_mtime_ns <= os.stat(jar).st_mtime_ns:
            found.append("%s: %s is not newer than lathe.jar, so bin/lathe starts without it (rebuild: ./mvnw -pl app "
                         "-am package)" % (folder, name))
            continue
        run = subprocess.run([java, "-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-XX:+UseSerialGC",
                              "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-jar", jar, "--version"],
                             stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if run.returncode != 0:
            last = ((run.stderr + run.stdout).strip().splitlines() or ["exit %d" % run.returncode])[-1]
            found.append("%s: the JVM cannot start from %s: %s" % (folder, name, last))
    return found
