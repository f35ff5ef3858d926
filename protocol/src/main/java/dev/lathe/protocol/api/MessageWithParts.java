package dev.lathe.protocol.api;

import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import java.util.List;

/** One element of {@code GET /sessions/{id}/messages}. */
public record MessageWithParts(Message info, List<Part> parts) {}
