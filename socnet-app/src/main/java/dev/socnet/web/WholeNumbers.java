package dev.socnet.web;

import java.math.BigDecimal;

import org.springframework.core.convert.converter.Converter;

/**
 * Reads an {@code int} request parameter the way the contract types it: as a JSON {@code number}.
 * A client generated from the contract sends {@code offset=0.0&limit=10.0}; any spelling of a whole
 * number is accepted ({@code 10}, {@code 10.0}, {@code 1e1}, {@code +10}), a fractional one
 * ({@code 1.5}) or one outside {@code int} is refused with a reason that
 * {@link ApiExceptionHandler} turns into a 400 naming the parameter. Range limits of the endpoint
 * itself ({@code @Min}, {@code @Max}) apply after this. Registered by {@link WebConfiguration}.
 */
final class WholeNumbers implements Converter<String, Integer> {

    /** Why a parameter was refused; its message is the reason shown to the client. */
    static final class NotAWholeNumberException extends IllegalArgumentException {
        NotAWholeNumberException(String reason) {
            super(reason);
        }
    }

    /** Longest accepted spelling, in characters: far more than any int needs, and a bound on parse work. */
    static final int MAX_CHARS = 64;

    /**
     * @param text the parameter as sent, e.g. {@code "10.0"}
     * @return its value; null for a blank parameter (Spring then applies the default or reports it missing)
     * @throws NotAWholeNumberException when it is not a number, has a fraction, or lies outside int
     */
    @Override
    public Integer convert(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        if (s.length() > MAX_CHARS) {
            throw new NotAWholeNumberException("must be a number of at most " + MAX_CHARS + " characters");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new NotAWholeNumberException("must be a number, got '" + s + "'");
        }
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw new NotAWholeNumberException("must be a whole number, got " + s);
        }
        if (value.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
                || value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new NotAWholeNumberException("is out of range, got " + s);
        }
        return value.intValueExact();
    }
}
