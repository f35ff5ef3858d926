package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeTaggedStreamTest {
    @Test
    void everyLineNamesTheNodeHoweverItIsWritten() {
        var sink = new ByteArrayOutputStream();
        var err = NodeTaggedStream.of(sink, "node_0123456789ab");
        err.println("[2026-11-26T05:00:00Z] INFO dev.lathe.core.LatheCore: started");
        err.print("a line written ");
        err.print("in two pieces\n");
        new IllegalStateException("boom").printStackTrace(err);
        err.write('x');
        err.write('\n');
        err.print("ünïcode\nand two\nlines at once\n");
        err.flush();
        String text = sink.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        assertThat(text.lines()).hasSizeGreaterThan(6).allSatisfy(line -> assertThat(line).startsWith("[node_0123456789ab] "));
        assertThat(text).contains("[node_0123456789ab] a line written in two pieces\n")
                .contains("[node_0123456789ab] java.lang.IllegalStateException: boom\n")
                .contains("[node_0123456789ab] ünïcode\n[node_0123456789ab] and two\n");
    }
}
