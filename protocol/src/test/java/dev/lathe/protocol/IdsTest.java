package dev.lathe.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdsTest {
    private static final Pattern SHAPE = Pattern.compile("prt_([0-9a-f]{12})([0-9a-f]{4})[0-9A-Za-z]{10}");

    @Test
    void anIdIsItsPrefixTheTimeAndCounterInHexAndTenBase62Characters() {
        long before = System.currentTimeMillis();
        var m = SHAPE.matcher(PartId.next().value());
        assertThat(m.matches()).isTrue();
        // the first 12 hex digits are the millisecond time (or just after it, when many ids share a millisecond)
        assertThat(Long.parseLong(m.group(1), 16)).isBetween(before, System.currentTimeMillis() + 1_000);
    }

    @Test
    void idsMadeOneAfterAnotherSortInCreationOrderAndDiffer() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) made.add(PartId.next().value());  // more than one millisecond's 65,536 counts
        assertThat(made).isSorted().doesNotHaveDuplicates();
        assertThat(made).allMatch(id -> SHAPE.matcher(id).matches());
    }

    @Test
    void everyBase62CharacterTurnsUpInEveryRandomPlace() {
        List<HashSet<Character>> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) seen.add(new HashSet<>());
        for (int n = 0; n < 5_000; n++) {
            String tail = PartId.next().value().substring("prt_".length() + 16);
            for (int i = 0; i < 10; i++) seen.get(i).add(tail.charAt(i));
        }
        assertThat(seen).allSatisfy(chars -> assertThat(chars).hasSize(62));
    }
}
