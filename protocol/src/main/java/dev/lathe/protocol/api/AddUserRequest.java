package dev.lathe.protocol.api;

import java.util.Optional;

/** Body of {@code POST /users}: the new account's name, and whether it is an admin (absent: not). */
public record AddUserRequest(String name, Optional<Boolean> admin) {
    public AddUserRequest {
        admin = admin == null ? Optional.empty() : admin;
    }
}
