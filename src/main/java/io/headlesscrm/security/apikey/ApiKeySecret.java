package io.headlesscrm.security.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The API key format: {@code hcrm_} and 40 base62 characters (238 random bits). The fixed prefix lets secret
 * scanners (GitHub, GitLab, trufflehog) recognise a leaked key. Only a SHA-256 hash is stored: the key is
 * random and long, so a slow password hash would add cost per request without adding safety.
 */
public final class ApiKeySecret {

    public static final String PREFIX = "hcrm_";
    static final int RANDOM_LENGTH = 40;
    /** What a key may look like; an explicitly configured bootstrap key may be longer than a generated one. */
    private static final Pattern FORMAT = Pattern.compile("hcrm_[A-Za-z0-9]{32,96}");
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecret() {
    }

    public static String generate() {
        StringBuilder key = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return key.toString();
    }

    public static boolean wellFormed(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Enough of the key for a person to tell keys apart in a list, far too little to use: {@code hcrm_Ab3d…x9Z2}. */
    public static String hint(String key) {
        return key.substring(0, PREFIX.length() + 4) + "…" + key.substring(key.length() - 4);
    }
}
