package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSettingTest {
    @TempDir Path tmp;

    @Test
    void theFlagThenTheEnvironmentThenTheConfigNameTheStore() {
        var env = Map.of("LATHE_STORE", "postgresql://env@h/db");
        assertThat(StoreSetting.resolve(Optional.of("postgresql://flag@h/db"), env, Optional.of("postgresql://config@h/db"))).contains("postgresql://flag@h/db");
        assertThat(StoreSetting.resolve(Optional.empty(), env, Optional.of("postgresql://config@h/db"))).contains("postgresql://env@h/db");
        assertThat(StoreSetting.resolve(Optional.empty(), Map.of(), Optional.of("postgresql://config@h/db"))).contains("postgresql://config@h/db");
        assertThat(StoreSetting.resolve(Optional.empty(), Map.of("LATHE_STORE", " "), Optional.empty())).isEmpty();
        assertThat(StoreSetting.kind(Optional.empty())).isEqualTo("sqlite");
        assertThat(StoreSetting.kind(Optional.of("postgresql://a@b/c"))).isEqualTo("postgresql");
    }

    @Test
    void thePasswordMayComeFromAVariableOrAFile() throws Exception {
        Path secret = Files.writeString(tmp.resolve("pw"), "from-file$1\n");
        assertThat(StoreSetting.resolve(Optional.of("postgresql://u:{env:PW}@h/db"), Map.of("PW", "from-env"), Optional.empty()))
                .contains("postgresql://u:from-env@h/db");
        assertThat(StoreSetting.resolve(Optional.of("postgresql://u:{file:" + secret + "}@h/db"), Map.of(), Optional.empty()))
                .contains("postgresql://u:from-file$1@h/db");
        assertThatThrownBy(() -> StoreSetting.resolve(Optional.of("postgresql://u:{env:NOPE}@h/db"), Map.of(), Optional.empty()))
                .isInstanceOf(StoreException.class).hasMessageContaining("{env:NOPE}");
    }
}
