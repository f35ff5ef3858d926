package dev.lathe.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.api.LatheException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static Instant next(String cron, String after, ZoneId zone) {
        return CronExpression.parse(cron).next(ZonedDateTime.parse(after).toInstant(), zone).orElseThrow();
    }

    private static Instant at(String iso) { return ZonedDateTime.parse(iso).toInstant(); }

    @Test
    void everyMinuteFiresAtTheNextWholeMinute() {
        assertThat(next("* * * * *", "2026-01-05T09:00:30Z", UTC)).isEqualTo(at("2026-01-05T09:01:00Z"));
        assertThat(next("* * * * *", "2026-01-05T09:01:00Z", UTC)).as("strictly after").isEqualTo(at("2026-01-05T09:02:00Z"));
    }

    @Test
    void listsRangesStepsAndNames() {
        assertThat(next("*/15 * * * *", "2026-01-05T09:01:00Z", UTC)).isEqualTo(at("2026-01-05T09:15:00Z"));
        assertThat(next("5,35 9-17/4 * * *", "2026-01-05T09:36:00Z", UTC)).isEqualTo(at("2026-01-05T13:05:00Z"));
        assertThat(next("0 3 * * MON-FRI", "2026-01-09T04:00:00Z", UTC)).as("Friday after 3 → Monday").isEqualTo(at("2026-01-12T03:00:00Z"));
        assertThat(next("0 0 1 jan,Jul *", "2026-02-01T00:00:00Z", UTC)).isEqualTo(at("2026-07-01T00:00:00Z"));
        assertThat(next("0 0 * * 7", "2026-01-05T00:00:00Z", UTC)).as("7 is Sunday").isEqualTo(at("2026-01-11T00:00:00Z"));
        assertThat(next("30 10/6 * * *", "2026-01-05T17:00:00Z", UTC)).as("a/n runs to the field's end").isEqualTo(at("2026-01-05T22:30:00Z"));
        assertThat(next("@daily", "2026-01-05T17:00:00Z", UTC)).isEqualTo(at("2026-01-06T00:00:00Z"));
    }

    @Test
    void monthEndsAndLeapDays() {
        assertThat(next("0 0 31 * *", "2026-01-31T00:00:00Z", UTC)).as("skips 30-day months and February").isEqualTo(at("2026-03-31T00:00:00Z"));
        assertThat(next("0 12 29 2 *", "2026-03-01T00:00:00Z", UTC)).as("the next leap day").isEqualTo(at("2028-02-29T12:00:00Z"));
        assertThat(next("59 23 * * *", "2026-12-31T23:59:00Z", UTC)).as("over the year's end").isEqualTo(at("2027-01-01T23:59:00Z"));
    }

    @Test
    void bothDayFieldsRestrictedMatchEitherAsCronDoes() {
        // the 15th, or any Monday: 2026-01-05 is a Monday
        assertThat(next("0 0 15 * 1", "2026-01-01T00:00:00Z", UTC)).isEqualTo(at("2026-01-05T00:00:00Z"));
        assertThat(next("0 0 15 * 1", "2026-01-12T00:00:00Z", UTC)).isEqualTo(at("2026-01-15T00:00:00Z"));
    }

    @Test
    void aSkippedLocalTimeFiresOnceAfterTheChangeAndARepeatedOneOnce() {
        // 2026-03-29: Paris skips 02:00-03:00 (02:30 does not exist): the run comes at 03:30 CEST, once
        Instant spring = next("30 2 * * *", "2026-03-28T12:00:00Z", PARIS);
        assertThat(spring).isEqualTo(at("2026-03-29T03:30:00+02:00"));
        assertThat(next("30 2 * * *", spring.toString(), PARIS)).isEqualTo(at("2026-03-30T02:30:00+02:00"));
        // 2026-10-25: 02:30 comes twice; it fires the first time only
        Instant autumn = next("30 2 * * *", "2026-10-24T12:00:00Z", PARIS);
        assertThat(autumn).isEqualTo(at("2026-10-25T02:30:00+02:00"));
        assertThat(next("30 2 * * *", autumn.toString(), PARIS)).isEqualTo(at("2026-10-26T02:30:00+01:00"));
        // every 10 minutes through the repeated hour: each local minute once, then on
        assertThat(next("*/10 * * * *", "2026-10-25T02:50:00+02:00", PARIS)).isEqualTo(at("2026-10-25T03:00:00+01:00"));
    }

    @Test
    void theLatestDueTimeIsTheOneRunOwed() {
        var cron = CronExpression.parse("* * * * *");
        assertThat(cron.latestDue(at("2026-01-05T09:00:30Z"), at("2026-01-05T09:03:10Z"), UTC)).contains(at("2026-01-05T09:03:00Z"));
        assertThat(cron.latestDue(at("2026-01-05T09:03:00Z"), at("2026-01-05T09:03:50Z"), UTC)).isEmpty();
    }

    @Test
    void aBadExpressionNamesItsField() {
        assertThatThrownBy(() -> CronExpression.parse("0 25 * * *")).isInstanceOf(LatheException.InvalidInput.class)
                .hasMessageContaining("field 2 (hour)").hasMessageContaining("25 is out of range 0-23");
        assertThatThrownBy(() -> CronExpression.parse("* * * FOO *")).hasMessageContaining("field 4 (month)").hasMessageContaining("'FOO'");
        assertThatThrownBy(() -> CronExpression.parse("*/0 * * * *")).hasMessageContaining("field 1 (minute)").hasMessageContaining("step 0");
        assertThatThrownBy(() -> CronExpression.parse("* * 10-2 * *")).hasMessageContaining("field 3 (day of month)").hasMessageContaining("backwards");
        assertThatThrownBy(() -> CronExpression.parse("* * * *")).hasMessageContaining("five fields").hasMessageContaining("has 4");
        assertThatThrownBy(() -> CronExpression.parse("0 0 30 2 *")).hasMessageContaining("never run");
        assertThatThrownBy(() -> CronExpression.parse("@reboot")).hasMessageContaining("unknown cron shorthand");
        assertThatThrownBy(() -> CronExpression.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> CronExpression.parse("* * * * \u001b[31m")).isInstanceOf(LatheException.InvalidInput.class)
                .message().doesNotContain("\u001b");
    }
}
