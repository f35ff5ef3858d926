package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.server.local.LocalCommands;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lathe debug decode --protocol P [--merged] FILE}: runs a protocol's decoder over a recorded stream (raw SSE
 * text, or one JSON event per line; {@code -} reads standard input) and prints one normalised event per line, or with
 * {@code --merged} one object per response as DESIGN §18 specifies.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode a recorded provider stream into Lathe's events.")
final class DecodeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--protocol", required = true, paramLabel = "P", description = "wire protocol: ${COMPLETION-CANDIDATES}",
            completionCandidates = ProtocolIds.class)
    String protocol;

    @Option(names = "--merged", description = "print one merged object per response instead of every event")
    boolean merged;

    @Parameters(paramLabel = "FILE", description = "raw SSE text or one JSON event per line; - for standard input")
    String file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalCommands commands = LocalCommands.of(System.getenv());
        if (!commands.decoderProtocols().contains(protocol)) {
            err.println("lathe: unknown protocol '" + protocol + "'; known: " + String.join(", ", commands.decoderProtocols()));
            return ExitCode.USAGE;
        }
        String text;
        try {
            text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (IOException e) {
            err.println("lathe: cannot read " + file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return ExitCode.USAGE;
        }
        List<String> lines = commands.decode(protocol, text, merged ? LocalCommands.DecodeForm.MERGED : LocalCommands.DecodeForm.EVENTS)
                .orElseThrow(() -> new IllegalStateException("protocol " + protocol + " disappeared"));
        lines.forEach(out::println);
        out.flush();
        return ExitCode.FINISHED;
    }

    /** The protocol ids, for help and completion. */
    static final class ProtocolIds implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() { return LocalCommands.of(Map.of()).decoderProtocols().iterator(); }
    }
}
