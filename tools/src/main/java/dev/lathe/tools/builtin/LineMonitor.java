package dev.lathe.tools.builtin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The lines of a background command's output that match its {@code monitor}, held until the next delivery (decision
 * 581): at most {@code maxLines} lines and {@code maxBytes} bytes wait, what comes after is only counted, so an endless
 * flood holds a few KiB here whatever it prints. A line longer than {@link #MAX_LINE} bytes is cut there. Each line is
 * matched under a budget ({@link BoundedText}): a pattern that backtracks catastrophically on it stops the monitor
 * (said once to the model) instead of a thread spinning for hours.
 */
final class LineMonitor {
    /** The longest line matched and delivered; the rest of a longer line is dropped. */
    static final int MAX_LINE = 2048;
    /** The most steps (characters read by the matcher) one line's match may take, about a millisecond's work. */
    static final long STEPS_PER_LINE = 200_000;
    /** The longest {@code monitor} pattern accepted. */
    static final int MAX_PATTERN = 500;

    private final Pattern pattern;
    private final int maxLines;
    private final int maxBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean cut;
    private final List<String> waiting = new ArrayList<>();
    private int waitingBytes;
    private long notShown;
    private boolean stopped;
    private boolean stopTold;

    LineMonitor(Pattern pattern, int maxLines, int maxBytes) {
        this.pattern = pattern;
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
    }

    /** Takes {@code n} bytes of output: each line they complete is matched. */
    synchronized void accept(byte[] buf, int n) {
        for (int i = 0; i < n; i++) {
            byte b = buf[i];
            if (b == '\n') {
                endLine();
            } else if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                cut = true;
            }
        }
    }

    /** The output ended: a last line without a line break is matched too. */
    synchronized void finish() {
        if (line.size() > 0) endLine();
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
        if (cut) text = text + " …";
        line.reset();
        cut = false;
        if (stopped) return;
        boolean match;
        try {
            match = pattern.matcher(new BoundedText(text, STEPS_PER_LINE)).find();
        } catch (BoundedText.TooSlow e) {
            stopped = true;
            return;
        } catch (StackOverflowError e) {
            // a pattern that recurses per character on a long line: as too slow
            stopped = true;
            return;
        }
        if (!match) return;
        int bytes = text.getBytes(StandardCharsets.UTF_8).length + 1;
        if (waiting.size() >= maxLines || waitingBytes + bytes > maxBytes) {
            notShown++;
            return;
        }
        waiting.add(text);
        waitingBytes += bytes;
    }

    /**
     * What the next delivery says, taken: the waiting lines, how many more matched and were not kept, and once, that
     * the monitor stopped. Empty when there is nothing to say.
     */
    synchronized Optional<String> take() {
        if (waiting.isEmpty() && notShown == 0 && (!stopped || stopTold)) return Optional.empty();
        var out = new StringBuilder();
        for (String l : waiting) out.append(l).append('\n');
        if (notShown > 0) out.append("(").append(notShown).append(" more matching line").append(notShown == 1 ? "" : "s")
                .append(" not shown: read them with bash_output)\n");
        if (stopped && !stopTold) {
            stopTold = true;
            out.append("(the monitor pattern took too long to match a line and was stopped: use a simpler pattern,"
                    + " without nested repetition, or read the output with bash_output)\n");
        }
        waiting.clear();
        waitingBytes = 0;
        notShown = 0;
        return Optional.of(out.toString());
    }

    /**
     * A line as the matcher reads it, counting the characters it reads: past {@code budget} it throws, which ends the
     * match (java.util.regex has no timeout; this is how one is made without a thread per match).
     */
    static final class BoundedText implements CharSequence {
        static final class TooSlow extends RuntimeException {
            TooSlow() { super("match over budget", null, false, false); }
        }

        private final String text;
        private final long[] left;

        BoundedText(String text, long budget) {
            this(text, new long[] {budget});
        }

        private BoundedText(String text, long[] left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) throw new TooSlow();
            return text.charAt(index);
        }

        @Override public int length() { return text.length(); }

        @Override public CharSequence subSequence(int start, int end) { return new BoundedText(text.substring(start, end), left); }

        @Override public String toString() { return text; }
    }
}
