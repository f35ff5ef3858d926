package dev.lathe.term;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.Usage;
import org.junit.jupiter.api.Test;

class MoneyTest {
    @Test
    void moneyReadsAlikeInAColumn() {
        assertThat(Money.dollars(0)).isEqualTo("$0.00");
        assertThat(Money.dollars(600)).isEqualTo("$0.0006");
        assertThat(Money.dollars(50_000)).isEqualTo("$0.0500");
        assertThat(Money.dollars(999_999)).isEqualTo("$1.0000");
        assertThat(Money.dollars(1_234_567)).isEqualTo("$1.23");
    }

    @Test
    void tokensWithNothingChargedAreAnUnknownPriceAndNoTokensAreFree() {
        assertThat(Money.cost(0, new Usage(10, 5, 0, 0, 0))).isEqualTo(Money.PRICE_UNKNOWN);
        assertThat(Money.cost(0, new Usage(0, 0, 0, 0, 0))).isEqualTo("$0.00");
        assertThat(Money.cost(1_500, new Usage(10, 5, 0, 0, 0))).isEqualTo("$0.0015");
    }

    @Test
    void anImportedSessionsTokensWereBilledByTheOtherHarness() {
        var used = new Usage(10, 5, 0, 0, 0);
        assertThat(Money.cost(0, used, true)).isEqualTo("imported (not billed by Lathe)");
        assertThat(Money.cost(1_500, used, true)).isEqualTo("$0.0015 + imported (not billed by Lathe)");
        assertThat(Money.cost(0, used, false)).isEqualTo(Money.PRICE_UNKNOWN);
    }
}
