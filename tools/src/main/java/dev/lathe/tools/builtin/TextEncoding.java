package dev.lathe.tools.builtin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a text file's bytes become characters and back: UTF-8 when they are valid UTF-8, otherwise the best single-byte
 * guess — windows-1252 when its bytes 0x80–0x9F are all printable there (curly quotes, the euro sign), else ISO-8859-1
 * (Latin-1), which maps every byte to one character and so always round-trips. A single-byte charset is a guess,
 * said so in {@link #note}; what matters is that decoding and encoding again gives the same bytes, so an edit changes
 * only what it edits.
 */
record TextEncoding(Charset charset) {
    static final TextEncoding UTF_8 = new TextEncoding(StandardCharsets.UTF_8);
    static final TextEncoding LATIN_1 = new TextEncoding(StandardCharsets.ISO_8859_1);
    static final TextEncoding WINDOWS_1252 = new TextEncoding(Charset.forName("windows-1252"));

    /** The encoding of {@code bytes} (without a byte-order mark). */
    static TextEncoding detect(byte[] bytes, int from, int length) {
        if (isUtf8(bytes, from, length)) return UTF_8;
        return singleByte(bytes, from, length);
    }

    /** The single-byte guess for bytes already known not to be UTF-8. */
    static TextEncoding singleByte(byte[] bytes, int from, int length) {
        boolean c1 = false;
        for (int i = from; i < from + length; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x80 && b <= 0x9F) {
                c1 = true;
                break;
            }
        }
        if (c1 && WINDOWS_1252.roundTrips(bytes, from, length)) return WINDOWS_1252;
        return LATIN_1;
    }

    static boolean isUtf8(byte[] bytes, int from, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    boolean isUtf8() { return charset.equals(StandardCharsets.UTF_8); }

    /** What the model is told about a file that is not UTF-8; empty for UTF-8. */
    String note() {
        if (isUtf8()) return "";
        return "This file is not valid UTF-8; it was decoded as " + charset.name() + " (a guess; Latin-1 family). "
                + "Edits keep its encoding and change only the edited bytes.";
    }

    String decode(byte[] bytes, int from, int length) {
        return new String(bytes, from, length, charset);
    }

    /** {@code text} in this encoding; empty when a character cannot be written in it. */
    java.util.Optional<byte[]> encode(String text) {
        try {
            ByteBuffer out = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            return java.util.Optional.of(Arrays.copyOfRange(out.array(), out.arrayOffset() + out.position(), out.arrayOffset() + out.limit()));
        } catch (CharacterCodingException e) {
            return java.util.Optional.empty();
        }
    }

    private boolean roundTrips(byte[] bytes, int from, int length) {
        byte[] original = Arrays.copyOfRange(bytes, from, from + length);
        return encode(decode(bytes, from, length)).map(again -> Arrays.equals(again, original)).orElse(false);
    }
}
