package dev.lathe.llm.bpe;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our counts against jtokkit's, the reference implementation of o200k in Java, on every kind of text an agent sends. */
class BytePairCounterTest {
    private static BytePairCounter counter;
    private static Encoding reference;

    @BeforeAll
    static void load() {
        counter = BytePairCounter.o200k();
        reference = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    @Test
    void countsLikeTheReferenceOnShortTexts() {
        List<String> texts = List.of("", "a", "hello world", "Hello, World!", "<|endoftext|>", "   leading and trailing   ",
                "tabs\tand\r\nwindows\r\n\r\nlines", "numbers 1 12 123 1234 12345 3.14159 -42 1e10", "don't I'LL we've THEY'RE",
                "naïve café façade résumé", "日本語のテキストと中文文本", "한국어 텍스트", "emoji 🎉🚀👩‍💻 and flags 🇫🇷",
                "Ελληνικά και русский текст", "مرحبا بالعالم", "x".repeat(5000), " ".repeat(300) + "x", "\n".repeat(50),
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "{\"path\":\"src/Main.java\",\"offset\":10,\"limit\":200}",
                "if (a != b && c <= d) { return x->y; } // comment /* block */", "path/to/some/file.txt\n/another/",
                "https://example.com/a?b=c&d=e#frag", "\u0000\u0001\u0002 control", "mixedCASEWordsAndCamelCaseIdentifiers");
        for (String text : texts) {
            assertThat(counter.count(text)).as(text).isEqualTo(reference.countTokensOrdinary(text));
        }
    }

    @Test
    void countsLikeTheReferenceOnThisRepositorysSources() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root.resolve("llm/src"))) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().limit(60).toList();
        }
        List<Path> docs = new ArrayList<>(files);
        try (Stream<Path> walk = Files.list(root.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertThat(docs).hasSizeGreaterThan(20);
        for (Path file : docs) {
            String text = Files.readString(file);
            assertThat(counter.count(text)).as(file.toString()).isEqualTo(reference.countTokensOrdinary(text));
        }
    }

    @Test
    void countsLikeTheReferenceOnRandomText() {
        var random = new Random(31);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \t\n\r.,;:'\"!?()[]{}<>/\\|-_=+*&^%$#@~`"
                + "éüñçøß漢字かなカナ한글ёжЩ€£¥🙂🚀";
        int[] codePoints = alphabet.codePoints().toArray();
        for (int i = 0; i < 300; i++) {
            var text = new StringBuilder();
            int length = random.nextInt(400);
            for (int j = 0; j < length; j++) text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            String s = text.toString();
            assertThat(counter.count(s)).as(s).isEqualTo(reference.countTokensOrdinary(s));
        }
    }

    @Test
    void randomBytesAsLatinOneMergeLikeTheReference() {
        var random = new Random(7);
        for (int i = 0; i < 100; i++) {
            byte[] bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
            String s = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(counter.count(s)).isEqualTo(reference.countTokensOrdinary(s));
        }
    }

    @Test
    void longPiecesWithoutABreakCountLikeTheReference() {
        var random = new Random(3);
        var letters = new StringBuilder();
        for (int i = 0; i < 30_000; i++) letters.append((char) ('a' + random.nextInt(26)));
        List<String> texts = List.of("x".repeat(100_000), "=".repeat(50_000), "ab".repeat(25_000), letters.toString(),
                "日本語".repeat(10_000), ".".repeat(20_000) + "\n", "Ab".repeat(3_000));
        for (String text : texts) {
            assertThat(counter.count(text)).as(text.substring(0, 20) + "… (" + text.length() + ")").isEqualTo(reference.countTokensOrdinary(text));
        }
    }

    @Test
    void theHeapMergeAndTheScanMergeAgreeOnEveryPiece() {
        var random = new Random(11);
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;=-_\n\t".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 200; i++) {
            byte[] piece = new byte[2 + random.nextInt(600)];
            // few distinct bytes make long runs of repeated pairs, where equal ranks must merge leftmost first
            int distinct = 1 + random.nextInt(i % 2 == 0 ? 3 : alphabet.length);
            for (int j = 0; j < piece.length; j++) piece[j] = alphabet[random.nextInt(distinct)];
            assertThat(counter.longPiece(piece)).as(new String(piece, StandardCharsets.US_ASCII)).isEqualTo(counter.shortPiece(piece));
        }
    }

    @Test
    void everyTokenOfTheVocabularyIsFoundByItsOwnBytes() throws IOException {
        try (var in = BytePairCounter.class.getResourceAsStream("/com/knuddels/jtokkit/o200k_base.tiktoken")) {
            Ranks ranks = Ranks.read(in);
            assertThat(ranks.size()).isEqualTo(199_998);
            byte[] token = "hello".getBytes(StandardCharsets.UTF_8);
            assertThat(ranks.rank(token, 0, token.length)).isGreaterThanOrEqualTo(0);
            byte[] none = "zzqqxxjjkkvvzzqq".getBytes(StandardCharsets.UTF_8);
            assertThat(ranks.rank(none, 0, none.length)).isEqualTo(-1);
        }
    }
}
