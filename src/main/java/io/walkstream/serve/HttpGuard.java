package io.walkstream.serve;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Puts every HTTP call but the health check and the console's page through the {@link CallGuard}
 * before it reaches the routes: 401 with {@code WWW-Authenticate: Bearer} for a missing or wrong
 * key, 429 with {@code Retry-After} for a client over its rate. {@code GET /v1/health} stays open
 * because load balancers probe it without credentials, and it tells nothing but readiness.
 */
final class HttpGuard extends Handler.Wrapper {
    static final String HEALTH = "/v1/health";

    /** The console's page, at the root and under a name of its own. */
    static final String CONSOLE_PAGE = "/";

    static final String CONSOLE_ALIAS = "/console";

    private final CallGuard guard;

    HttpGuard(CallGuard guard, Handler routes) {
        super(routes);
        this.guard = guard;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        // The health check, and the console's page: a page from the jar with no data in it (every
        // figure it shows comes from a call that passes the guard, with the key typed into it).
        if (path.equals(HEALTH) || path.equals(CONSOLE_PAGE) || path.equals(CONSOLE_ALIAS)) {
            return super.handle(request, response, callback);
        }
        CallGuard.Verdict v =
                guard.admit(
                        "http",
                        request.getHeaders().get(HttpHeader.AUTHORIZATION),
                        Request.getRemoteAddr(request));
        if (v instanceof CallGuard.Admitted) {
            return super.handle(request, response, callback);
        }
        HttpGateway.closeAfterAnswer(request, response);
        if (v instanceof CallGuard.Limited l) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, l.retryAfterSeconds());
            HttpGateway.error(
                    response,
                    callback,
                    429,
                    "rate_limited",
                    "client "
                            + l.client()
                            + " is over its rate limit; retry after "
                            + l.retryAfterSeconds()
                            + " s");
        } else {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            HttpGateway.error(
                    response, callback, 401, "unauthenticated", CallGuard.UNAUTHENTICATED_MESSAGE);
        }
        return true;
    }
}
