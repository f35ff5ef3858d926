package dev.lathe.core.toolcall;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A value is a secret when it looks like one, not because its variable's name says so (issue 79, decision 554). */
class SecretShapeTest {

    @Test
    void realisticKeysAreSecrets() {
        assertThat(new String[] {
                "sk-ant-api03-Xq7vR2mPz9KfL4tWc8NbHs1YdJ6gUe0A-Tz3oQi5VnBx_lMrE7wKp2cSjFu9hGd4",
                "sk-proj-4fT9qLmZ2xR8vN1bK7cW3hJ5yP0sD6gA",
                "ghp_R4nd0mT0k3nV4lu3Xq7vR2mPz9KfL4tWc8",
                "github_pat_11AJ4QK2Y0vTg8Lr3Xb9Wm_Pq5Zs7Nc1Hd6Fk2Jw8Ye4Rt0Ua3Vi9Ob5Gx7Mn1Cl6Sh2Dp",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "xoxb-2048-1234567890-aBcDeFgHiJkLmNoPqRsTuV"})
                .allSatisfy(key -> assertThat(SecretShape.looksLikeSecret(key)).as(key).isTrue());
    }

    @Test
    void ordinaryValuesAreNot() {
        assertThat(new String[] {"disabled", "true", "1", "us-east-1", "", "/home/me/.config/gcloud/application_default_credentials.json",
                "/usr/local/bin:/usr/bin:/bin", "https://api.example.com/v1/endpoint", "us-east-1-production-cluster",
                "correct-horse-battery-staple", "/opt/data/models2024/weights", "ENABLED_FOR_ALL_USERS", "read write admin token"})
                .allSatisfy(value -> assertThat(SecretShape.looksLikeSecret(value)).as(value).isFalse());
    }

    /** Random keys of every realistic length and alphabet pass, not only the examples above. */
    @Test
    void randomKeysPass() {
        var random = new Random(79);
        String base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        String hex = "0123456789abcdef";
        int missed = 0;
        for (int i = 0; i < 20_000; i++) {
            String alphabet = i % 2 == 0 ? base62 : hex;
            // hex keys are 32, 40 or 64 long; a 16-digit hex value can be all digits, a number like any other
            int length = (alphabet == hex ? 24 : SecretShape.MIN_LENGTH) + random.nextInt(48);
            var key = new StringBuilder();
            for (int c = 0; c < length; c++) key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            if (!SecretShape.looksLikeSecret(key.toString())) missed++;
        }
        // a random draw can look like a word ("UOOZJZGVNLQMIQQpj"): one in ten thousand at most
        assertThat(missed).as("random keys not taken for secrets, of 20,000").isLessThanOrEqualTo(2);
    }
}
