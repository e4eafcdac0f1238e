package makemore.event;

/** Where one vocabulary symbol's embedding sits on the 2-D plot (raw when the embedding is 2-D, else PCA). */
public record EmbeddingPoint(String ch, double x, double y) {}
