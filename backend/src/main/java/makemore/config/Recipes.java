package makemore.config;

/** Named MLP configurations the bench and the tests share. */
public final class Recipes {
    /** The lecture's: context 3, emb 10, hidden 200, batch 32, lr 0.1 then 0.01 halfway (200k steps there). */
    public static final String LECTURE = "{\"model\":\"mlp\",\"context\":3,\"embDim\":10,\"hidden\":200,\"batch\":32,"
            + "\"lr\":0.1,\"schedule\":\"step\",\"decayAt\":0.5,\"decayFactor\":0.1,\"seed\":42}";

    /** The lecture's dev loss in 6,000 steps: batches of 128, a higher rate, cosine decay to 2% of it. */
    public static final String FAST = "{\"model\":\"mlp\",\"context\":3,\"embDim\":10,\"hidden\":200,\"batch\":128,"
            + "\"lr\":0.4,\"schedule\":\"cosine\",\"decayFactor\":0.02,\"steps\":6000,\"seed\":42}";

    private Recipes() {}
}
