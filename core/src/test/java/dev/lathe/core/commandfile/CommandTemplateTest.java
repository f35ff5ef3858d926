package dev.lathe.core.commandfile;


import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.commandfile.CommandTemplate.Piece;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {
    @Test
    void findsShellCommandsAndFileReferences() {
        assertThat(CommandTemplate.parse("Review @src/a.txt and !`git status --short` now.")).containsExactly(
                new Piece.Literal("Review "), new Piece.Include("src/a.txt"), new Piece.Literal(" and "), new Piece.Shell("git status --short"),
                new Piece.Literal(" now."));
        assertThat(CommandTemplate.parse("@README.md")).containsExactly(new Piece.Include("README.md"));
    }

    @Test
    void anMcpResourceMentionIsNotAFileToInclude() {
        assertThat(CommandTemplate.parse("Summarise @everything:demo://resource/static/document/a.md, then @b.txt")).containsExactly(
                new Piece.Literal("Summarise @everything:demo://resource/static/document/a.md, then "), new Piece.Include("b.txt"));
    }

    @Test
    void trailingPunctuationIsNotPartOfThePath() {
        assertThat(CommandTemplate.parse("See @docs/a.md. Then (@b.txt), \"@c\"")).containsExactly(new Piece.Literal("See "),
                new Piece.Include("docs/a.md"), new Piece.Literal(". Then ("), new Piece.Include("b.txt"), new Piece.Literal("), \""),
                new Piece.Include("c"), new Piece.Literal("\""));
    }

    @Test
    void codeAndAddressesStayText() {
        String text = """
                Mail me@example.com, see `@Override` and ``!`x` inside``.
                ```java
                @Test void t() { run(!`rm -rf /`); }
                ```
                ~~~~
                @a.txt
                ~~~~
                !`echo after`""";
        List<Piece> pieces = CommandTemplate.parse(text);
        assertThat(pieces).containsExactly(new Piece.Literal(text.substring(0, text.indexOf("!`echo after`"))), new Piece.Shell("echo after"));
        assertThat(CommandTemplate.isPlain(pieces)).isFalse();
    }

    @Test
    void anUnclosedOrEmptyShellCommandIsText() {
        assertThat(CommandTemplate.parse("Wow! `code`, !`unclosed\nnext` and !`  ` end")).containsExactly(
                new Piece.Literal("Wow! `code`, !`unclosed\nnext` and !`  ` end"));
        assertThat(CommandTemplate.isPlain(CommandTemplate.parse("plain text, 100% @ ok"))).isTrue();
    }
}
