package makemore.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named configurations: {@code ./lab train --recipe NAME} starts from one, and the bench and the tests share them. */
public final class Recipes {
    /** The lecture's: context 3, emb 10, hidden 200, batch 32, lr 0.1 then 0.01 halfway (200k steps there). */
    public static final String LECTURE = "{\"model\":\"mlp\",\"context\":3,\"embDim\":10,\"hidden\":200,\"batch\":32,"
            + "\"lr\":0.1,\"schedule\":\"step\",\"decayAt\":0.5,\"decayFactor\":0.1,\"seed\":42}";

    /** The lecture's dev loss in 6,000 steps: batches of 128, a higher rate, cosine decay to 2% of it. */
    public static final String FAST = "{\"model\":\"mlp\",\"context\":3,\"embDim\":10,\"hidden\":200,\"batch\":128,"
            + "\"lr\":0.4,\"schedule\":\"cosine\",\"decayFactor\":0.02,\"steps\":6000,\"seed\":42}";

    /**
     * makemore.py's transformer and AdamW, with regularisation against the overfitting a 204k-parameter model
     * shows on 25.8k training names (dropout 0.2, weight decay 0.1), batch 64 (1.8x batch 32's names per second,
     * since each op covers more rows) and lr 2e-3 cosine-decayed to 1e-4 over 22,000 steps: dev 1.933 in 336 s.
     */
    public static final String TRANSFORMER_5MIN = "{\"model\":\"transformer\",\"lr\":0.002,\"schedule\":\"cosine\","
            + "\"decayFactor\":0.05,\"dropout\":0.2,\"weightDecay\":0.1,\"batch\":64,\"steps\":22000,"
            + "\"evalEvery\":5500,\"sampleEvery\":0}";

    /**
     * The 5-minute recipe stretched to the steps this machine trains in under 10 minutes: 28,800 (52.5 steps/s idle
     * on 2026-12-06, 36,000 took 709 s). Chosen by a full-length sweep (README, issue 20): dropout 0.35 or weight
     * decay 0.5 ended worse.
     */
    public static final String TRANSFORMER_10MIN = "{\"model\":\"transformer\",\"lr\":0.002,\"schedule\":\"cosine\","
            + "\"decayFactor\":0.05,\"dropout\":0.2,\"weightDecay\":0.1,\"batch\":64,\"steps\":28800,"
            + "\"evalEvery\":4800,\"sampleEvery\":0}";

    private static final Map<String, String> NAMED = new LinkedHashMap<>();

    static {
        NAMED.put("mlp-lecture", LECTURE);
        NAMED.put("mlp-fast", FAST);
        NAMED.put("transformer-5min", TRANSFORMER_5MIN);
        NAMED.put("transformer-10min", TRANSFORMER_10MIN);
    }

    private Recipes() {}

    public static List<String> names() {
        return List.copyOf(NAMED.keySet());
    }

    /** The named recipe's config JSON; an unknown name is refused with the names there are. */
    public static String json(String name) {
        String json = NAMED.get(name);
        if (json == null) {
            throw new ConfigException("recipe", "unknown recipe '" + name + "': one of " + String.join(", ", names()));
        }
        return json;
    }
}
