/**
 * HTTP plumbing shared by every feature: the request id ({@code X-Request-Id}) carried through
 * logs and error bodies, the request body size limit, JSON error bodies and the mapping of
 * exceptions to status codes (4xx naming the field and reason, 503 with {@code Retry-After}
 * when a dependency is down, never a stack trace).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
package dev.socnet.web;
