package dev.lathe.core.config;

/**
 * The built-in bottom layer (DESIGN §10 permission defaults, §15 retry defaults). {@code doom_loop} (the loop guard's
 * ask) has its own key so that a config that allows every tool ({@code "*": "allow"}) still stops a model that repeats
 * itself; it is allowed or denied only by name.
 */
final class Defaults {
    private Defaults() {}

    static final String JSON = """
            {
              "permission": {
                "*": "ask",
                "read": {"*": "allow", ".env": "ask", ".env.*": "ask", "*.pem": "ask", "secrets/**": "ask"},
                "grep": "allow",
                "glob": "allow",
                "list": "allow",
                "edit": "ask",
                "bash": "ask",
                "external_directory": "ask",
                "skill": "allow",
                "doom_loop": "ask"
              },
              "retry": {"maxAttempts": 6, "maxTotalWaitSeconds": 120, "streamIdleTimeoutSeconds": 90},
              "limits": {"maxAnswerBytes": 4194304}
            }
            """;
}
