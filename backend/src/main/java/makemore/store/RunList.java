package makemore.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import makemore.event.RunStatus;

/**
 * One page of the run list, filtered and sorted by the database on indexed columns (SQLite and PostgreSQL alike), so
 * a lab with ten thousand runs answers a page in milliseconds and sends only that page. Runs of sweeps can be left
 * out or asked for by sweep: the page shows each sweep as one row that opens to its runs.
 */
public final class RunList {
    /** What the list is sorted by; ties go newest first. */
    public enum Sort {
        CREATED("created"), BEST_DEV("best_dev"), STEP("step");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    /**
     * @param statuses empty: any; {@code nameLike} matches name or id, case-insensitive; {@code inSweep} null: all
     *                 runs, false: runs of no sweep; {@code sweep}: only that sweep's runs
     */
    public record Query(int limit, int offset, String model, String dataset, Set<RunStatus> statuses,
            String nameLike, Double devBelow, Sort sort, boolean descending, Boolean inSweep, String sweep) {}

    public record Page(List<RunRecord.Summary> runs, long total) {}

    private final RunStore store;

    /** Needs the sweep tables ({@link SweepStore}) on the same store, for the sweep filters. */
    public RunList(RunStore store) {
        this.store = store;
        store.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE INDEX IF NOT EXISTS runs_created ON runs (created, id)");
                s.execute("CREATE INDEX IF NOT EXISTS runs_best_dev ON runs (best_dev)");
                s.execute("CREATE INDEX IF NOT EXISTS runs_model ON runs (model, created)");
                s.execute("CREATE INDEX IF NOT EXISTS runs_status ON runs (status, created)");
            }
            return null;
        });
    }

    public Page page(Query q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.model() != null) {
            where.append(" AND model = ?");
            args.add(q.model());
        }
        if (q.dataset() != null) {
            where.append(" AND dataset = ?");
            args.add(q.dataset());
        }
        if (!q.statuses().isEmpty()) {
            where.append(" AND status IN (").append("?, ".repeat(q.statuses().size() - 1)).append("?)");
            q.statuses().forEach(s -> args.add(s.label()));
        }
        if (q.nameLike() != null) {
            where.append(" AND (LOWER(name) LIKE ? ESCAPE '!' OR LOWER(id) LIKE ? ESCAPE '!')");
            String like = "%" + q.nameLike().toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%")
                    .replace("_", "!_") + "%";
            args.add(like);
            args.add(like);
        }
        if (q.devBelow() != null) {
            where.append(" AND best_dev < ?");
            args.add(q.devBelow());
        }
        if (q.sweep() != null) {
            where.append(" AND id IN (SELECT run_id FROM sweep_points WHERE sweep_id = ?)");
            args.add(q.sweep());
        } else if (Boolean.FALSE.equals(q.inSweep())) {
            where.append(" AND NOT EXISTS (SELECT 1 FROM sweep_points sp WHERE sp.run_id = runs.id)");
        }
        String dir = q.descending() ? " DESC" : " ASC";
        // runs without a dev score sort last either way
        String order = q.sort() == Sort.BEST_DEV ? " ORDER BY CASE WHEN best_dev IS NULL THEN 1 ELSE 0 END, best_dev"
                + dir + ", created DESC, id DESC" : " ORDER BY " + q.sort().column + dir + ", id" + dir;
        return store.transaction(c -> {
            long total;
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM runs" + where)) {
                bind(p, args);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    total = r.getLong(1);
                }
            }
            List<RunRecord.Summary> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, created, dataset, model, status, message, step,"
                    + " best_dev, test_loss, name, note FROM runs" + where + order + " LIMIT ? OFFSET ?")) {
                List<Object> all = new ArrayList<>(args);
                all.add(q.limit());
                all.add(q.offset());
                bind(p, all);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new RunRecord.Summary(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                RunStatus.parse(r.getString(5)), r.getString(6), r.getLong(7), RunStore.nullable(r, 8),
                                RunStore.nullable(r, 9), r.getString(10), r.getString(11)));
                    }
                }
            }
            return new Page(out, total);
        });
    }

    /** Each sweep's lowest best dev over its runs; a sweep none of whose runs has one is absent. */
    public java.util.Map<String, Double> sweepBestDevs() {
        return store.transaction(c -> {
            java.util.Map<String, Double> out = new java.util.HashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT sp.sweep_id, MIN(r.best_dev) FROM sweep_points sp"
                    + " JOIN runs r ON r.id = sp.run_id WHERE r.best_dev IS NOT NULL GROUP BY sp.sweep_id");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getDouble(2));
                }
            }
            return out;
        });
    }

    private static void bind(PreparedStatement p, List<Object> args) throws java.sql.SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else if (a instanceof Double d) {
                p.setDouble(i + 1, d);
            } else {
                p.setString(i + 1, (String) a);
            }
        }
    }
}
