package makemore.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import makemore.event.RunEvent;

/**
 * The hardest and easiest dev items at each evaluation of one run, and the NLL of every item listed so far. The
 * tracked set only grows (up to {@link #MAX_TRACKED}), so an item once listed keeps a value at every later
 * evaluation even after it leaves the lists.
 */
final class DevNameRanking {
    static final int LISTED = 20;
    /** Items followed at most: keeps each stored event to a few KB however long the run. */
    static final int MAX_TRACKED = 400;

    private final Set<String> tracked = new LinkedHashSet<>();

    /** {@code nll[i]} is {@code words.get(i)}'s mean NLL; a word may appear more than once in a split. */
    RunEvent.DevNames rank(long step, List<String> words, double[] nll) {
        Map<String, Double> byWord = new LinkedHashMap<>();
        for (int i = 0; i < nll.length; i++) {
            byWord.putIfAbsent(words.get(i), nll[i]);
        }
        List<RunEvent.ItemNll> all = new ArrayList<>(byWord.size());
        byWord.forEach((w, v) -> all.add(new RunEvent.ItemNll(w, v)));
        // ties broken by the text, so a seed gives one list
        Comparator<RunEvent.ItemNll> easyFirst = Comparator.comparingDouble(RunEvent.ItemNll::nll)
                .thenComparing(RunEvent.ItemNll::text);
        all.sort(easyFirst);
        int n = Math.min(LISTED, all.size());
        List<RunEvent.ItemNll> easiest = List.copyOf(all.subList(0, n));
        List<RunEvent.ItemNll> hardest = new ArrayList<>(all.subList(all.size() - n, all.size()));
        java.util.Collections.reverse(hardest);
        for (RunEvent.ItemNll x : hardest) {
            add(x.text());
        }
        for (RunEvent.ItemNll x : easiest) {
            add(x.text());
        }
        Map<String, Double> now = new LinkedHashMap<>();
        for (String w : tracked) {
            now.put(w, byWord.get(w));
        }
        return new RunEvent.DevNames(step, List.copyOf(hardest), easiest, now);
    }

    private void add(String w) {
        if (tracked.size() < MAX_TRACKED) {
            tracked.add(w);
        }
    }
}
