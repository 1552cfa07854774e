/**
 * Authentication: {@code POST /login} issues JWTs (HS256, {@code sub} = user id, with an expiry);
 * every protected endpoint is a Spring Security resource server that verifies them. Stateless, so
 * any number of identical app instances accept the same token.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"user", "web", "web::support"})
package dev.socnet.auth;
