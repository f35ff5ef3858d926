package dev.lathe.protocol.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One page of a session's diff ({@code GET /sessions/{id}/diff?scope=S&limit=N&after=PATH}, decision 591): the changed
 * files after {@code after} in path order, at most {@code limit} of them, and whether more follow. Over HTTP the body is
 * the list of files and {@link MessagePage#MORE_HEADER} carries {@code more}, as for the messages route. A page may
 * hold fewer files than the limit while more follow (a file put back meanwhile drops out); a client asks until
 * {@code more} is false.
 */
public record DiffPage(List<FileDiff> files, boolean more) {
    /** The largest page the server hands out; without a limit the route answers every file. */
    public static final int MAX_LIMIT = 500;

    public DiffPage {
        files = List.copyOf(files);
    }

    /** @throws LatheException.InvalidInput unless {@code limit} is in 1..{@link #MAX_LIMIT} */
    public static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new LatheException.InvalidInput("limit must be a whole number from 1 to " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    /**
     * The paths of {@code sorted} (every candidate path, in path order) that the page of {@code limit} after
     * {@code after} covers, and whether paths follow them: the caller then works out only those files.
     */
    public static Window window(List<String> sorted, OptionalInt limit, Optional<String> after) {
        List<String> out = new ArrayList<>();
        int i = 0;
        if (after.isPresent()) while (i < sorted.size() && sorted.get(i).compareTo(after.get()) <= 0) i++;
        for (; i < sorted.size() && (limit.isEmpty() || out.size() < limit.getAsInt()); i++) out.add(sorted.get(i));
        return new Window(out, i < sorted.size());
    }

    /** The paths one page covers, and whether more follow. */
    public record Window(List<String> paths, boolean more) {}
}
