package dev.lathe.tools.builtin.edit;

/**
 * For matchers whose range leaves out {@code oldString}'s leading and trailing whitespace: the same whitespace is
 * taken off {@code newString}, so it is not written twice next to the file's own.
 */
final class Boundary {
    private Boundary() {}

    static String leading(String s) {
        int k = 0;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) k++;
        return s.substring(0, k);
    }

    static String trailing(String s) {
        int k = s.length();
        while (k > 0 && Character.isWhitespace(s.charAt(k - 1))) k--;
        return s.substring(k);
    }

    static String trimLike(String oldString, String newString) {
        String out = newString;
        String lead = leading(oldString);
        if (!lead.isEmpty() && out.startsWith(lead)) out = out.substring(lead.length());
        String trail = trailing(oldString);
        if (!trail.isEmpty() && out.endsWith(trail)) out = out.substring(0, out.length() - trail.length());
        return out;
    }
}
