package dev.lathe.tools.builtin;

/**
 * The git configuration keys whose value git runs as a program (or a folder of hooks it runs), and an inert value for
 * each: one list for Lathe's own git ({@code core.git.HostGit}) and for the commands the model runs
 * ({@link GitHardening}'s nested repositories).
 */
public final class GitProgramKeys {
    /** Keys whose value git runs as a program (or a hook folder whose files it runs), as a {@code git config --get-regexp} pattern. */
    public static final String PATTERN = "^(core\\.(fsmonitor|hookspath|pager|editor|sshcommand|gitproxy|askpass|alternaterefscommand)"
            + "|sequence\\.editor|diff\\.external|diff\\..+\\.(textconv|command)|filter\\..+\\.(clean|smudge|process)|merge\\..+\\.driver"
            + "|gpg\\.program|gpg\\..+\\.program|credential\\.helper|credential\\..+\\.helper|pager\\..+|interactive\\.difffilter"
            + "|remote\\..+\\.(uploadpack|receivepack)|uploadpack\\.packobjectshook)$";

    /** An external diff that is git's own: its arguments are {@code path old-file old-hex old-mode new-file new-hex new-mode}. */
    public static final String PLAIN_DIFF = "git --no-pager diff --no-index --no-ext-diff --no-textconv -- \"$2\" \"$5\"; :";

    private GitProgramKeys() {}

    /** The inert value of a program key: git's own behaviour where there is one, else a program that does nothing. */
    public static String inert(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        if (k.equals("core.fsmonitor")) return "false";
        if (k.equals("core.hookspath")) return "/dev/null";
        if (k.equals("core.pager") || k.startsWith("pager.")) return "cat";
        if (k.equals("core.editor") || k.equals("sequence.editor")) return "true";
        if (k.equals("diff.external") || k.endsWith(".command")) return PLAIN_DIFF;
        if (k.endsWith(".textconv") || k.endsWith(".clean") || k.endsWith(".smudge")) return "cat";
        // a merge driver that fails leaves a conflict for the user, which is what no driver would risk least
        if (k.endsWith(".driver")) return "false";
        if (k.equals("gpg.program")) return "gpg";
        if (k.equals("gpg.ssh.program")) return "ssh-keygen";
        if (k.equals("gpg.x509.program")) return "gpgsm";
        if (k.endsWith(".uploadpack")) return "git-upload-pack";
        if (k.endsWith(".receivepack")) return "git-receive-pack";
        if (k.equals("core.sshcommand")) return "ssh";
        // credential helpers (an empty value clears the list), filter processes, proxies, askpass, diff filters: none
        return "";
    }
}
