package dev.lathe.server.http;

import io.nayuki.qrcodegen.QrCode.Ecc;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A QR code of a login URL as an SVG {@code data:} URL, so a phone can scan what the web UI or a terminal shows. */
final class QrCode {
    private static final int QUIET_ZONE = 4;

    private QrCode() {}

    static String svgDataUrl(String text) {
        var qr = io.nayuki.qrcodegen.QrCode.encodeText(text, Ecc.MEDIUM);
        int size = qr.size + 2 * QUIET_ZONE;
        var path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) path.append('M').append(x + QUIET_ZONE).append(',').append(y + QUIET_ZONE).append("h1v1h-1z");
            }
        }
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8));
    }
}
