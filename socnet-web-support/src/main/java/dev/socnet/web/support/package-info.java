/**
 * HTTP plumbing shared by socnet-app and socnet-dialogs (issue 17: written once, used by both): the
 * request id ({@link dev.socnet.web.support.RequestId}, {@code X-Request-Id}) carried through logs and
 * error bodies, the JSON error body ({@link dev.socnet.web.support.ApiError}), its writer for code
 * outside Spring MVC ({@link dev.socnet.web.support.ErrorWriter}), and the mapping of the exceptions
 * both services meet to status codes ({@link dev.socnet.web.support.ApiErrorHandling}). Registered by
 * {@link dev.socnet.web.support.WebSupportAutoConfiguration}.
 */
@NamedInterface("support")
package dev.socnet.web.support;

import org.springframework.modulith.NamedInterface;
