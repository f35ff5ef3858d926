package dev.lathe.core.info;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuzzyScoreTest {
    static List<String> rank(String query, String... paths) {
        return java.util.Arrays.stream(paths).filter(p -> FuzzyScore.score(query, p).isPresent())
                .sorted(Comparator.comparingInt((String p) -> FuzzyScore.score(query, p).getAsInt()).reversed().thenComparingInt(String::length))
                .toList();
    }

    @Test
    void charactersMustAppearInOrderCaseInsensitively() {
        assertThat(FuzzyScore.score("mjv", "src/Main.java")).isPresent();
        assertThat(FuzzyScore.score("MAIN", "src/main.c")).isPresent();
        assertThat(FuzzyScore.score("niam", "src/main.c")).isEmpty();
        assertThat(FuzzyScore.score("main.cpp", "main.c")).isEmpty();
    }

    @Test
    void fileNameWordStartsAndRunsRankFirst() {
        assertThat(rank("main", "src/domain/Other.java", "src/main/java/App.java", "src/main/java/Main.java", "remaining.txt"))
                .containsExactly("src/main/java/Main.java", "src/main/java/App.java", "remaining.txt", "src/domain/Other.java");
        assertThat(rank("abc", "a_b_c.txt", "abc.txt", "xabcx.txt")).containsExactly("abc.txt", "a_b_c.txt", "xabcx.txt");
        assertThat(rank("ps", "core/ProjectSearch.java", "core/parser/Scanner.java", "core/pass.txt"))
                .first().isEqualTo("core/ProjectSearch.java");
    }

    @Test
    void everyTermOfAQueryWithSpacesMustMatch() {
        assertThat(rank("info test", "core/info/ProjectInfoTest.java", "core/info/ProjectInfo.java", "core/test/X.java"))
                .containsExactly("core/info/ProjectInfoTest.java");
    }
}
