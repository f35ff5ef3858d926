package dev.lathe.core.session.turn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.session.journal.StepParts;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The model's step loop runs without the store (issue 54, decision 397): {@link StepLoop}, the stream it turns into
 * parts ({@link StepStream}) and where those go ({@link StepParts}) name neither the journal, the storage port, the
 * event bus nor the cluster port. Read from the compiled classes (nested ones and lambdas included), so a use in the
 * same package, which no import shows, counts too.
 */
class StepLoopStoreFreeTest {
    /** Internal-name prefixes the loop may not name. */
    private static final List<String> FORBIDDEN = List.of("dev/lathe/core/session/journal/Journal", "dev/lathe/core/session/journal/SessionJournal",
            "dev/lathe/core/store/", "dev/lathe/core/bus/", "dev/lathe/core/cluster/");

    @Test
    void theStepLoopNamesNoStoreJournalOrBus() throws Exception {
        assertThat(uses("StepLoop", "StepStream", "StepParts")).as("store, journal or bus types the step loop names").isEmpty();
    }

    @Test
    void theRuleSeesAUseOfTheJournal() throws Exception {
        // the adapter writes through the journal: the same reading must see it
        assertThat(uses("ModelResponder")).anyMatch(u -> u.contains("Journal"));
    }

    /** The forbidden types the classes named {@code outer} (with their nested classes) use. */
    private static Set<String> uses(String... outer) throws IOException, URISyntaxException {
        Set<String> found = new TreeSet<>();
        // StepParts lives in the journal's room, the loop in the turn's: read both folders
        for (Path dir : List.of(folder(StepLoop.class), folder(StepParts.class))) try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class")) continue;
                String top = name.substring(0, name.length() - ".class".length()).split("\\$")[0];
                if (!List.of(outer).contains(top)) continue;
                for (PoolEntry e : ClassFile.of().parse(f).constantPool()) {
                    if (!(e instanceof Utf8Entry utf8)) continue;
                    String text = utf8.stringValue();
                    for (String forbidden : FORBIDDEN) {
                        int at = text.indexOf(forbidden);
                        if (at >= 0) found.add(name + " names " + text.substring(at).split("[;<>()]")[0]);
                    }
                }
            }
        }
        return found;
    }

    private static Path folder(Class<?> type) throws URISyntaxException {
        return Path.of(type.getResource(type.getSimpleName() + ".class").toURI()).getParent();
    }
}
