/**
 * The operator's one-shot data commands (module socnet-tools, not in the production jar):
 * {@code seed --users N} generates realistic Russian users, {@code import FILE} loads a course
 * {@code people.v2.csv}/{@code people.csv} file, {@code seed-graph} grows a follow graph and posts.
 * The command line is {@link dev.socnet.seed.SocnetTools} (picocli); each command starts the
 * application's context without a web server. See {@code docs/seed.md}.
 *
 * <p>The user loads stream rows into {@code users} with PostgreSQL {@code COPY} in one transaction
 * (all or nothing), give every row the same BCrypt hash of a shared password, and refresh the planner
 * statistics and visibility map with {@code VACUUM (ANALYZE) users} afterwards.
 *
 * <p><b>The bulk-load owner.</b> This module is the one documented place outside a feature module that
 * writes into that module's tables, with {@code COPY} and index rebuilds that no per-row API could match:
 * {@code users} (user), {@code friends} (friend), {@code posts} (post) and its own {@code seed_steps}.
 * The feed's tables ({@code celebrities}, {@code feed_homes}) it changes only through the feed's API,
 * {@link dev.socnet.feed.CelebrityDirectory}, which also owns the celebrity rule. The module boundary
 * test (socnet-tools' {@code BulkLoadOwnerTest}) checks that no other module writes another module's
 * tables and that this one writes no more than the list above.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Seed and import commands (bulk-load owner)",
        allowedDependencies = "feed")
package dev.socnet.seed;
