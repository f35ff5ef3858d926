package dev.lathe.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The accounts and owners part of the storage contract (migration V009), on every adapter. */
public abstract class AccountContract extends StorageFixture {
    private static AccountStore.Account account(String name, boolean admin, String tokenId) {
        return new AccountStore.Account(name, admin, tokenId, "salt-" + name, "hash-" + name, 1_000L);
    }

    @Test
    void anAccountIsAddedOnceFoundByTokenIdAndRemoved() {
        try (Storage storage = open(tmp)) {
            var accounts = storage.accounts();
            assertThat(accounts.add(account("alice", false, "tid-a"))).isTrue();
            assertThat(accounts.add(account("alice", true, "tid-other"))).as("a taken name").isFalse();
            assertThat(accounts.add(account("root", true, "tid-r"))).isTrue();
            assertThat(accounts.byTokenId("tid-a")).contains(account("alice", false, "tid-a"));
            assertThat(accounts.byTokenId("tid-other")).isEmpty();
            assertThat(accounts.byName("root").orElseThrow().admin()).isTrue();
            assertThat(accounts.list()).extracting(AccountStore.Account::name).containsExactly("alice", "root");
            assertThat(accounts.replaceToken("alice", "tid-a2", "s2", "h2")).isTrue();
            assertThat(accounts.byTokenId("tid-a")).as("the old token's row is gone").isEmpty();
            assertThat(accounts.byTokenId("tid-a2").orElseThrow().hash()).isEqualTo("h2");
            assertThat(accounts.replaceToken("nobody", "x", "y", "z")).isFalse();
            assertThat(accounts.remove("alice")).isTrue();
            assertThat(accounts.remove("alice")).isFalse();
            assertThat(accounts.byTokenId("tid-a2")).isEmpty();
        }
        try (Storage storage = open(tmp)) {
            assertThat(storage.accounts().list()).extracting(AccountStore.Account::name).containsExactly("root");
        }
    }

    @Test
    void aSessionsOwnerIsRecordedOnceAndGoesWithTheSession() {
        try (Storage storage = open(tmp)) {
            String dir = "/work/p";
            var s = new Session(SessionId.next(), storage.projects().idFor(dir), dir, Optional.empty(), "t", "build", "a/b", 1, 1,
                    Optional.empty(), Usage.ZERO, 0, Optional.empty());
            storage.sessions().insert(s);
            storage.accounts().own(s.id(), "alice");
            storage.accounts().own(s.id(), "bob");
            assertThat(storage.accounts().ownerOf(s.id())).contains("alice");
            assertThat(storage.accounts().owners()).containsEntry(s.id(), "alice").hasSize(1);
            storage.sessions().delete(java.util.List.of(s.id()));
            assertThat(storage.accounts().ownerOf(s.id())).isEmpty();
        }
    }
}
