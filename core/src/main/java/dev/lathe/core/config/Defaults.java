package dev.lathe.core.config;

/** The built-in bottom layer (DESIGN §10 permission defaults, §15 retry defaults). */
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
                "skill": "allow"
              },
              "retry": {"maxAttempts": 6, "maxTotalWaitSeconds": 120, "streamIdleTimeoutSeconds": 90},
              "limits": {"maxAnswerBytes": 4194304}
            }
            """;
}
