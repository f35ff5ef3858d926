package dev.lathe.server.http;

import dev.lathe.protocol.api.LatheException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict percent-decoding (RFC 3986, UTF-8) for path segments, query values and the {@code X-Lathe-Directory}
 * header. Unlike {@link java.net.URLDecoder} it leaves {@code +} alone unless asked ({@link #decodeForm}).
 */
final class Percent {
    private Percent() {}

    /** @throws LatheException.InvalidInput on a broken escape or bytes that are not UTF-8 */
    static String decode(String s) {
        if (s.indexOf('%') < 0) return s;
        var bytes = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) != '%') {
                int next = s.indexOf('%', i);
                int end = next < 0 ? s.length() : next;
                bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
                continue;
            }
            if (i + 2 >= s.length()) throw new LatheException.InvalidInput("broken percent-escape in '" + s + "'");
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) throw new LatheException.InvalidInput("broken percent-escape in '" + s + "'");
            bytes.write(hi * 16 + lo);
            i += 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new LatheException.InvalidInput("percent-escapes in '" + s + "' are not UTF-8");
        }
    }

    /** Query strings (application/x-www-form-urlencoded) also write a space as {@code +}. */
    static String decodeForm(String s) {
        return decode(s.replace('+', ' '));
    }
}
