-- The contract marks no property of the registration body as required; socnet requires first_name,
-- second_name and password (issue #10) and takes birthdate as optional, like biography and city.
-- Profiles without a birthdate are returned without the field (dev.socnet.user.User omits nulls).
alter table users alter column birthdate drop not null;
