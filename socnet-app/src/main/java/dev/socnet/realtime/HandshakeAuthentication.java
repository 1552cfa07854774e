package dev.socnet.realtime;

import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

import dev.socnet.web.support.ErrorWriter;

/**
 * Authenticates the WebSocket handshake with the same JWTs as the REST API: {@code Authorization:
 * Bearer <token>} (the contract's {@code userToken}) or, for browsers, which cannot set headers on a
 * WebSocket, the query parameter {@code ?token=<token>}. No token, or one that is malformed, badly
 * signed or expired: the handshake is refused with 401 and the API's JSON error body. The token's
 * {@code exp} is kept with the connection, which is closed once it has passed ({@link LiveConnections#pingAll}).
 *
 * <p>The security filter chain lets the path through ({@code SecurityConfiguration}): it cannot read
 * the query parameter, and a refused upgrade must answer 401 from here.
 */
class HandshakeAuthentication implements HandshakeInterceptor {

    /** Session attribute holding the authenticated follower's id (UUID). */
    static final String FOLLOWER_ID_ATTRIBUTE = "socnet.realtime.follower-id";
    /** Session attribute holding the token's {@code exp} (an Instant): the connection is closed after it. */
    static final String TOKEN_EXPIRES_AT_ATTRIBUTE = "socnet.realtime.token-expires-at";
    static final String TOKEN_PARAMETER = "token";
    private static final String BEARER = "Bearer ";

    private final JwtDecoder jwts;
    private final ErrorWriter errors;

    HandshakeAuthentication(JwtDecoder jwts, ErrorWriter errors) {
        this.jwts = jwts;
        this.errors = errors;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) throws Exception {
        String token = token(request);
        if (token != null) {
            try {
                Jwt jwt = jwts.decode(token);
                attributes.put(FOLLOWER_ID_ATTRIBUTE, UUID.fromString(jwt.getSubject()));
                if (jwt.getExpiresAt() != null) {
                    attributes.put(TOKEN_EXPIRES_AT_ATTRIBUTE, jwt.getExpiresAt());
                }
                return true;
            } catch (JwtException | IllegalArgumentException | NullPointerException e) {
                // falls through to 401
            }
        }
        refuse(request, response);
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {
    }

    /** The header's token, else the query parameter's; null when neither is present. */
    private static String token(ServerHttpRequest request) {
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return header.substring(BEARER.length()).strip();
        }
        String query = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst(TOKEN_PARAMETER);
        return query == null || query.isBlank() ? null : java.net.URLDecoder.decode(query, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void refuse(ServerHttpRequest request, ServerHttpResponse response) throws java.io.IOException {
        if (request instanceof ServletServerHttpRequest servletRequest
                && response instanceof ServletServerHttpResponse servletResponse) {
            errors.write(servletRequest.getServletRequest(), servletResponse.getServletResponse(), HttpStatus.UNAUTHORIZED,
                    null, "a valid bearer token is required (Authorization: Bearer or ?token=, from POST /login)");
        } else {
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
        }
    }
}
