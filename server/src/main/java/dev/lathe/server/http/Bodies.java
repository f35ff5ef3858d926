package dev.lathe.server.http;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;

/**
 * Completeness checks of request bodies after JSON mapping: Jackson leaves a missing field {@code null}, and no
 * {@code null} may pass into a {@code LatheApi}. Each failure is a 400 naming the field.
 */
final class Bodies {
    private Bodies() {}

    static CreateSessionRequest check(CreateSessionRequest r) {
        if (r.directory() == null || r.directory().isBlank()) {
            throw new LatheException.InvalidInput("directory is required (in the body, the X-Lathe-Directory header or the directory query parameter)");
        }
        present(r.title(), "title");
        present(r.agent(), "agent");
        present(r.model(), "model");
        present(r.parentId(), "parentId");
        return r;
    }

    static PromptRequest check(PromptRequest r) {
        if (r.parts() == null || r.parts().isEmpty()) throw new LatheException.InvalidInput("parts is required and must not be empty");
        for (int i = 0; i < r.parts().size(); i++) {
            InputPart part = r.parts().get(i);
            String at = "parts[" + i + "]";
            if (part == null) throw new LatheException.InvalidInput(at + " must not be null");
            switch (part) {
                case InputPart.Text t -> present(t.text(), at + ".text");
                case InputPart.File f -> {
                    present(f.mime(), at + ".mime");
                    present(f.name(), at + ".name");
                    present(f.url(), at + ".url");
                }
            }
        }
        present(r.agent(), "agent");
        present(r.model(), "model");
        return r;
    }

    static PermissionReplyRequest check(PermissionReplyRequest r) {
        if (r.reply() == null) throw new LatheException.InvalidInput("reply is required: once, always or reject");
        present(r.message(), "message");
        return r;
    }

    private static void present(Object value, String field) {
        if (value == null) throw new LatheException.InvalidInput(field + " is required");
    }
}
