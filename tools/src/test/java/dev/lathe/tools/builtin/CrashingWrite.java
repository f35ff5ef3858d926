package dev.lathe.tools.builtin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A process that replaces a file and dies in the middle: it writes half of the new content to the temporary file, says
 * so on stdout, and waits to be killed ({@code AtomicWriteTest} kills it with SIGKILL, as a crash or an OOM kill would).
 */
final class CrashingWrite {
    private CrashingWrite() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        if (args.length > 1) WritesInFlight.start(Path.of(args[1])); // as a Lathe process records its writes
        byte[] content = "n".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        new AtomicWrite((channel, bytes) -> {
            ByteBuffer half = bytes.slice(0, bytes.remaining() / 2);
            while (half.hasRemaining()) channel.write(half);
            channel.force(true);
            System.out.println("half written");
            System.out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                throw new java.io.IOException(e);
            }
        }).replace(file, content, file.toAbsolutePath().getParent());
    }
}
