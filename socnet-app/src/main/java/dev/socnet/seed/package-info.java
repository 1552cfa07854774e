/**
 * One-shot data commands: {@code seed --users N} generates realistic Russian users and
 * {@code import FILE} loads a course {@code people.v2.csv}/{@code people.csv} file.
 *
 * <p>Both stream rows into the {@code users} table with PostgreSQL {@code COPY} in one transaction
 * (all or nothing), give every row the same BCrypt hash of a shared password, and refresh the
 * planner statistics and visibility map with {@code VACUUM (ANALYZE) users} afterwards. The module
 * depends on nothing but the {@link javax.sql.DataSource} and the {@code users} schema; its public
 * API is {@link dev.socnet.seed.UserSeeder}, {@link dev.socnet.seed.PeopleImporter} and their
 * {@link dev.socnet.seed.LoadReport}. See {@code docs/seed.md}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Seed and import commands")
package dev.socnet.seed;
