package io.headlesscrm.security;

/**
 * How email addresses and phone numbers look to readers without {@link Permissions#CUSTOMERS_READ_CONTACT}
 * (analysts): enough to see that a value exists and roughly what it is, not enough to contact anyone.
 */
public final class ContactMasking {

    private static final int PHONE_VISIBLE_END = 4;

    private ContactMasking() {
    }

    /** {@code ada.lovelace@example.com → a***@example.com}. */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    /** {@code +14155550123 → +1******0123}: the country code's first digit and the last four digits stay. */
    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        int keepStart = 2;
        if (phone.length() <= keepStart + PHONE_VISIBLE_END) {
            return phone.charAt(0) + "*".repeat(phone.length() - 1);
        }
        return phone.substring(0, keepStart) + "*".repeat(phone.length() - keepStart - PHONE_VISIBLE_END)
                + phone.substring(phone.length() - PHONE_VISIBLE_END);
    }
}
