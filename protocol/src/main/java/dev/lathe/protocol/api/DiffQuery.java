package dev.lathe.protocol.api;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which diff of a session and which page of it: files are in path order (by UTF-16 code unit, as Java compares
 * strings), {@code after} is the last path of the previous page, {@code limit} the most files a page holds (every file
 * when empty). See {@link DiffPage}.
 */
public record DiffQuery(DiffScope scope, OptionalInt limit, Optional<String> after) {
    /** Everything the session changed, unpaged: what {@code GET /sessions/{id}/diff} answers without parameters. */
    public static final DiffQuery SESSION = new DiffQuery(DiffScope.SESSION, OptionalInt.empty(), Optional.empty());

    public DiffQuery {
        if (limit.isPresent()) DiffPage.checkLimit(limit.getAsInt());
    }

    /** The whole diff of {@code scope}, unpaged. */
    public static DiffQuery of(DiffScope scope) {
        return new DiffQuery(scope, OptionalInt.empty(), Optional.empty());
    }

    /** The query for the page after {@code page}'s last file, with the same scope and limit. */
    public DiffQuery next(DiffPage page) {
        return page.files().isEmpty() ? this : new DiffQuery(scope, limit, Optional.of(page.files().getLast().path()));
    }
}
