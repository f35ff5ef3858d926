package dev.lathe.app;

import io.nayuki.qrcodegen.QrCode;

/** A QR code drawn with Unicode half blocks for a terminal ({@code lathe web --qr}, {@code lathe pair}). */
final class TerminalQr {
    private TerminalQr() {}

    /** {@code text} as a QR code, two modules per character row, with a quiet zone of two modules around it. */
    static String of(String text) {
        QrCode code = QrCode.encodeText(text, QrCode.Ecc.LOW);
        int border = 2;
        var sb = new StringBuilder();
        for (int y = -border; y < code.size + border; y += 2) {
            for (int x = -border; x < code.size + border; x++) {
                boolean top = dark(code, x, y);
                boolean bottom = dark(code, x, y + 1);
                // light modules are drawn, dark ones left blank, so the code reads on a dark terminal too
                sb.append(top ? (bottom ? ' ' : '▄') : (bottom ? '▀' : '█'));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static boolean dark(QrCode code, int x, int y) {
        return x >= 0 && y >= 0 && x < code.size && y < code.size && code.getModule(x, y);
    }
}
