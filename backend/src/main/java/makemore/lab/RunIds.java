package makemore.lab;

import java.security.SecureRandom;

/** New run and sweep ids: 10 characters of an alphabet without look-alikes, so a person can read one out. */
final class RunIds {
    private static final String CHARS = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {}

    static String next() {
        StringBuilder sb = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            sb.append(CHARS.charAt(RANDOM.nextInt(CHARS.length())));
        }
        return sb.toString();
    }
}
