package makemore.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Characters (Unicode code points) to ids: id 0 is the start/end boundary, shown as '.', then sorted characters. */
public final class Vocabulary {
    public static final int MAX_SIZE = 256;
    public static final String BOUNDARY = ".";

    private final List<String> symbols; // id -> printable symbol
    private final Map<Integer, Integer> ids = new HashMap<>(); // code point -> id

    private Vocabulary(List<Integer> codePoints) {
        symbols = new ArrayList<>(codePoints.size() + 1);
        symbols.add(BOUNDARY);
        for (int cp : codePoints) {
            ids.put(cp, symbols.size());
            symbols.add(new String(Character.toChars(cp)));
        }
    }

    public static Vocabulary of(Collection<String> words) {
        TreeSet<Integer> cps = new TreeSet<>();
        for (String w : words) {
            w.codePoints().forEach(cps::add);
        }
        checkSize(cps.size());
        return new Vocabulary(new ArrayList<>(cps));
    }

    /** Refuses a character set too large for a character-level model, saying how large it is. */
    public static void checkSize(int distinct) {
        if (distinct + 1 > MAX_SIZE) {
            throw new DatasetException(DatasetException.Kind.INVALID, "dataset uses " + distinct
                    + " distinct characters; a character-level model allows at most " + (MAX_SIZE - 1));
        }
    }

    /** Rebuilds a vocabulary from its symbols (as saved with a model), boundary first. */
    public static Vocabulary ofSymbols(List<String> symbols) {
        List<Integer> cps = new ArrayList<>();
        for (String s : symbols.subList(1, symbols.size())) {
            cps.add(s.codePointAt(0));
        }
        return new Vocabulary(cps);
    }

    public int size() {
        return symbols.size();
    }

    public List<String> symbols() {
        return List.copyOf(symbols);
    }

    public String symbol(int id) {
        return symbols.get(id);
    }

    /** Ids of the word's characters, or -1 for a character this vocabulary does not know. */
    public int[] encode(String word) {
        return word.codePoints().map(cp -> ids.getOrDefault(cp, -1)).toArray();
    }

    public boolean knows(String word) {
        return word.codePoints().allMatch(ids::containsKey);
    }
}
