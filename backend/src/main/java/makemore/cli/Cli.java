package makemore.cli;

public final class Cli {
    public static int run(String cmd, String[] args) {
        return 2;
    }
}
