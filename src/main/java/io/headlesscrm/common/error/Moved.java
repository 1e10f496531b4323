package io.headlesscrm.common.error;

import java.net.URI;
import java.util.List;

/**
 * 308 Permanent Redirect: the resource an id names moved for good (a merged-away customer's id names the survivor).
 * Location is the request's URL with the id replaced, so the same method and body reach the new resource.
 */
public final class Moved extends ProblemException {

    /** How an operation that may answer it documents it. */
    public static final String DESCRIPTION = "The id is a customer merged into another: Location is this URL with"
            + " the survivor's id (repeat the request there, method and body unchanged)";

    private final String from;
    private final String to;

    public Moved(String what, Object from, Object to) {
        super(308, "moved", "Moved permanently", what + " " + from + " was merged into " + to
                + "; repeat the request at Location", List.of());
        this.from = from.toString();
        this.to = to.toString();
    }

    /** The request's URI with the moved id's path segment replaced. */
    URI location(URI request) {
        String path = request.getRawPath().replace("/" + from + "/", "/" + to + "/");
        if (path.endsWith("/" + from)) {
            path = path.substring(0, path.length() - from.length()) + to;
        }
        return URI.create(path + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery()));
    }
}
