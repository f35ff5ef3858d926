package dev.lathe.bench;

import dev.lathe.llm.TokenEstimate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints the o200k token count of each file named on the command line, one number per line: {@code bench/run} counts
 * the system prompt and tool definitions each harness sent with the tokenizer Lathe itself uses for its estimates,
 * so the three harnesses are measured with one ruler.
 */
public final class CountTokens {
    private CountTokens() {}

    public static void main(String[] args) throws IOException {
        for (String file : args) System.out.println(TokenEstimate.of(Files.readString(Path.of(file))));
    }
}
