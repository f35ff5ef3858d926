package dev.lathe.term;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.Quota;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaMeterTest {
    // an hour from now, on the minute, in UTC: "resets HH:mm" is then known in advance
    static final ZonedDateTime AT = ZonedDateTime.now(ZoneOffset.UTC).plusHours(1).truncatedTo(ChronoUnit.MINUTES);
    static final String RESETS = AT.toInstant().toString();
    static final String HHMM = String.format("%02d:%02d", AT.getHour(), AT.getMinute());

    @Test
    void theSummaryNamesTheTightestWindowAndWhenItResets() {
        var meter = new QuotaMeter(ZoneOffset.UTC);
        assertThat(meter.summary()).isEmpty();
        meter.report(List.of(new Quota("requests", 10, 50, RESETS), new Quota("tokens", 41_000, 50_000, RESETS)));
        assertThat(meter.summary()).contains("tokens 82% · resets " + HHMM);
        // a later report of one name replaces it; the others stay
        meter.report(List.of(new Quota("tokens", 1_000, 50_000, RESETS)));
        assertThat(meter.summary()).contains("requests 20% · resets " + HHMM);
        // a reset more than a day away says its date too
        String later = Instant.now().plusSeconds(3 * 86_400).toString();
        assertThat(QuotaMeter.line(List.of(new Quota("7d", 30, 100, later)), ZoneOffset.UTC)).matches("7d 30% · resets \\d{1,2} [A-Z][a-z]{2} \\d\\d:\\d\\d");
    }

    @Test
    void aWindowAt80PercentWarnsOnceUntilItResets() {
        var meter = new QuotaMeter(ZoneOffset.UTC);
        assertThat(meter.report(List.of(new Quota("tokens", 79_999, 100_000, RESETS)))).isEmpty();
        assertThat(meter.report(List.of(new Quota("tokens", 80_000, 100_000, RESETS))))
                .containsExactly("quota: tokens 80% used (80,000 of 100,000), resets " + HHMM);
        assertThat(meter.report(List.of(new Quota("tokens", 95_000, 100_000, RESETS)))).isEmpty();
        // the next window fills again: a new warning; a plan window's figures are its percent
        String next = AT.plusHours(5).toInstant().toString();
        assertThat(meter.report(List.of(new Quota("tokens", 90_000, 100_000, next), new Quota("5h", 85, 100, next))))
                .containsExactly("quota: tokens 90% used (90,000 of 100,000), resets " + HHMM.replaceFirst("^\\d\\d", String.format("%02d", AT.plusHours(5).getHour())),
                        "quota: 5h window 85% used, resets " + String.format("%02d:%02d", AT.plusHours(5).getHour(), AT.getMinute()));
    }

    @Test
    void aNameNotOfLathesShapeIsNeverShown() {
        var meter = new QuotaMeter(ZoneOffset.UTC);
        assertThat(meter.report(List.of(new Quota("tok\u001b[2Jens", 99, 100, RESETS), new Quota("", 99, 100, RESETS)))).isEmpty();
        assertThat(meter.summary()).isEmpty();
        assertThat(QuotaMeter.line(List.of(new Quota("x\u0007", 1, 2, RESETS)), ZoneOffset.UTC)).isEmpty();
    }

}
