package dev.socnet.seed;


import org.springframework.stereotype.Service;

/**
 * Generates users with realistic Russian profiles (see {@link PeopleGenerator}) and loads them with
 * one streaming {@code COPY}: nothing is held in memory, a million rows take well under a minute.
 */
@Service
public class UserSeeder {

    private final UsersTable users;

    UserSeeder(UsersTable users) {
        this.users = users;
    }

    /**
     * Inserts {@code count} generated users in one transaction, all sharing one password.
     *
     * @param count number of users, at least 1
     * @param password clear-text password of every generated user, 6 characters to 72 UTF-8 bytes
     * @param seed random seed: the same seed on the same day generates the same people (ids differ)
     * @return the committed load
     * @throws IllegalArgumentException when {@code count} is not positive or the password is unusable
     * @throws IllegalStateException when the database refuses the rows; nothing is inserted
     */
    public LoadReport seed(int count, String password, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of users must be positive, got " + count);
        }
        SharedPassword shared = SharedPassword.hash(password);
        PeopleGenerator people = new PeopleGenerator(PeoplePools.fromDatafaker(seed), seed, users.today());
        return users.load(shared, copy -> {
            for (int i = 0; i < count; i++) {
                copy.add(people.next());
            }
        });
    }
}
