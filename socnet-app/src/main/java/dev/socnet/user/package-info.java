/**
 * Users: registration, profiles and people search ({@code /user/register}, {@code /user/get/{id}},
 * {@code /user/search}). Public API for other modules: {@link dev.socnet.user.UserDirectory}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"db", "web", "web::support"})
package dev.socnet.user;
