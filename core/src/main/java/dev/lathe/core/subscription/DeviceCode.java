package dev.lathe.core.subscription;

import java.net.URI;
import java.time.Duration;

/**
 * A device-code sign-in under way: the page the user opens ({@code verificationUrl}) and the code they type there
 * ({@code userCode}); {@code deviceId} (the server's handle for the code, which only this process polls with) and how
 * often the server lets us ask ({@code interval}).
 */
public record DeviceCode(URI verificationUrl, String userCode, String deviceId, Duration interval) {
    @Override public String toString() { return "DeviceCode[" + verificationUrl + ", " + userCode + "]"; }
}
