package makemore.web;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Who may drive the lab. Every web page its user opens can reach a server on 127.0.0.1, so:
 * <ul>
 * <li>the Host header must name this server (127.0.0.1, localhost, [::1] or --host, with its port): a DNS-rebinding
 * page has its own name there (421);</li>
 * <li>every API request, GET included (a GET may compute for minutes), and every WebSocket upgrade must come from
 * this origin or an --allow-origin one: the Origin header, Sec-Fetch-Site where the browser sends it, else the
 * Referer (403). An {@code <img src>} or a link on another site is refused before anything runs; clients that send
 * none of them (curl, scripts) are not browsers and pass. Static files (the page itself) are served to anyone who
 * names this host, so a share link opened from another site still loads the page;</li>
 * <li>a body must say what it is: JSON as application/json, uploads as multipart/form-data or
 * application/octet-stream (415), which a plain HTML form or a no-cors fetch cannot send;</li>
 * <li>off loopback, every request carries a token (the start-up URL's ?token=, then a cookie), as Jupyter does (401).</li>
 * </ul>
 */
final class RequestGuard {
    static final String COOKIE = "makemore_token";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Set<String> hostNames;
    private final boolean anyHostName;
    private final IntSupplier port;
    private final String token; // null: none required
    private final List<String> allowOrigins;

    RequestGuard(LabOptions o, IntSupplier port) {
        String h = o.host().toLowerCase(Locale.ROOT);
        String bracketed = h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
        this.hostNames = new java.util.TreeSet<>(List.of("127.0.0.1", "localhost", "[::1]", bracketed));
        this.anyHostName = Set.of("0.0.0.0", "[::]", "[0:0:0:0:0:0:0:0]").contains(bracketed);
        this.port = port;
        this.token = o.token() != null ? o.token() : o.loopback() ? null : newToken();
        this.allowOrigins = o.allowOrigins();
    }

    /** The token every request must carry, or null on loopback without --token. */
    String token() {
        return token;
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** "scheme://host:port", lower case with the port spelled out; throws IllegalArgumentException if not an origin. */
    static String normalizeOrigin(String origin) {
        URI u = URI.create(origin);
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null
                || u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
            throw new IllegalArgumentException("not a web origin (scheme://host[:port]): " + origin);
        }
        int p = u.getPort() > 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + p;
    }

    /** Host, token, for the API where the request comes from, and for writes the content type; throws the refusal. */
    void check(Context ctx) {
        checkHost(ctx.header("Host"));
        checkToken(ctx);
        if (ctx.path().startsWith("/api/")) {
            checkOrigin(ctx.header("Origin"), ctx.header("Sec-Fetch-Site"), ctx.header("Host"));
            checkReferer(ctx.header("Origin"), ctx.header("Sec-Fetch-Site"), ctx.header("Referer"), ctx.header("Host"));
        }
        if (WRITES.contains(ctx.method().name())) {
            checkOrigin(ctx.header("Origin"), ctx.header("Sec-Fetch-Site"), ctx.header("Host"));
            checkContentType(ctx);
        }
    }

    /** A browser that sends neither Origin nor Sec-Fetch-Site (an older one) still names the page it came from. */
    private void checkReferer(String origin, String fetchSite, String referer, String host) {
        if (origin != null || fetchSite != null || referer == null) {
            return;
        }
        String from;
        try {
            URI u = URI.create(referer.strip());
            from = normalizeOrigin(u.getScheme() + "://" + u.getRawAuthority());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw refuse(403, "request refused: Referer '" + clip(referer) + "' is not this lab");
        }
        try {
            checkOrigin(from, null, host);
        } catch (HttpResponseException e) {
            throw refuse(403, "cross-site request refused: it came from a page of " + clip(from)
                    + " (Referer), not this lab");
        }
    }

    /** The same checks for a WebSocket upgrade (a GET that browsers send from any page). */
    void checkUpgrade(Context ctx) {
        checkHost(ctx.header("Host"));
        checkToken(ctx);
        checkOrigin(ctx.header("Origin"), ctx.header("Sec-Fetch-Site"), ctx.header("Host"));
    }

    private void checkHost(String host) {
        if (host == null || host.isBlank()) {
            throw refuse(421, "the Host header is missing");
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = colon > h.lastIndexOf(']') ? h.substring(0, colon) : h;
        String portText = colon > h.lastIndexOf(']') ? h.substring(colon + 1) : "80";
        boolean portOk = portText.equals(Integer.toString(port.getAsInt()));
        if (!portOk || !anyHostName && !hostNames.contains(name)) {
            throw refuse(421, "this lab answers only to " + String.join(", ", hostNames) + " on port "
                    + port.getAsInt() + ", not to Host '" + clip(host) + "' (a page on another name cannot use it)");
        }
    }

    private void checkToken(Context ctx) {
        if (token == null) {
            return;
        }
        String given = ctx.queryParam("token");
        if (given != null && same(given, token)) {
            // the start-up URL: from now on the browser carries it as a cookie, on this host only
            ctx.header("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
            return;
        }
        String cookie = ctx.cookie(COOKIE);
        String auth = ctx.header("Authorization");
        if (cookie != null && same(cookie, token)
                || auth != null && auth.startsWith("Bearer ") && same(auth.substring(7).strip(), token)) {
            return;
        }
        throw refuse(401, "this lab needs its token: open the URL it printed at start-up (with ?token=...)");
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private void checkOrigin(String origin, String fetchSite, String host) {
        String site = fetchSite == null ? null : fetchSite.strip().toLowerCase(Locale.ROOT);
        if (origin == null) {
            if (site != null && !site.equals("same-origin") && !site.equals("none")) {
                throw refuse(403, "cross-site request refused (Sec-Fetch-Site: " + clip(site) + ")");
            }
            return; // not sent by a browser page
        }
        String o;
        try {
            o = normalizeOrigin(origin.strip());
        } catch (IllegalArgumentException e) {
            throw refuse(403, "request refused: Origin '" + clip(origin) + "' is not this lab");
        }
        if (allowOrigins.contains(o)) {
            return;
        }
        boolean self = o.equals(normalizeOrigin("http://" + host.strip())) || o.equals(normalizeOrigin("https://" + host.strip()));
        if (!self || site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw refuse(403, "cross-origin request refused: Origin '" + clip(origin)
                    + "' is not this lab (start the lab with --allow-origin to allow it)");
        }
    }

    private static void checkContentType(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        String mime = type.split(";", 2)[0].strip();
        if (ctx.path().equals("/api/datasets")) {
            if (!mime.equals("multipart/form-data") && !mime.equals("application/octet-stream")) {
                throw refuse(415, "an upload must be sent as multipart/form-data (field 'file') or as"
                        + " application/octet-stream with ?name=, not '" + clip(mime) + "'");
            }
            return;
        }
        boolean hasBody = ctx.header("Transfer-Encoding") != null || ctx.req().getContentLengthLong() > 0;
        if ((hasBody || !mime.isEmpty()) && !mime.equals("application/json")) {
            throw refuse(415, "a request body must be JSON sent as Content-Type: application/json"
                    + (mime.isEmpty() ? "" : ", not '" + clip(mime) + "'"));
        }
    }

    private static String clip(String s) {
        String t = s.replaceAll("[\\p{Cntrl}]", "?");
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }

    private static HttpResponseException refuse(int status, String message) {
        return new HttpResponseException(status, message);
    }
}
