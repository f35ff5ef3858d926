package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * How {@code lathe schedule add} and {@code list} print a next run: in the schedule's zone, naming it unless it is the
 * machine's own. A schedule added with {@code --tz Europe/Paris} on a UTC machine printed "00:00" for Paris midnight,
 * which read as UTC (met walking docs/schedules.md).
 */
class ScheduleTimesTest {
    private static final long PARIS_MIDNIGHT = ZonedDateTime.of(2026, 11, 28, 0, 0, 0, 0, ZoneId.of("Europe/Paris")).toInstant().toEpochMilli();

    @Test
    void aZoneOtherThanTheMachinesIsNamed() {
        assertThat(ScheduleCommand.when(PARIS_MIDNIGHT, "Europe/Paris", ZoneId.of("Etc/UTC"))).isEqualTo("2026-11-28 00:00 Europe/Paris");
        assertThat(ScheduleCommand.when(PARIS_MIDNIGHT, "UTC", ZoneId.of("Europe/Paris"))).isEqualTo("2026-11-27 23:00 UTC");
    }

    @Test
    void theMachinesOwnZoneIsNotNamedWhateverItsSpelling() {
        assertThat(ScheduleCommand.when(PARIS_MIDNIGHT, "Europe/Paris", ZoneId.of("Europe/Paris"))).isEqualTo("2026-11-28 00:00");
        assertThat(ScheduleCommand.when(PARIS_MIDNIGHT, "Etc/UTC", ZoneId.of("UTC"))).isEqualTo("2026-11-27 23:00");
    }
}
