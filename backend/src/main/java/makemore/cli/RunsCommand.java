package makemore.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.lab.LongExport;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.store.SweepStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lab runs ls|show|export}: the lab's runs from the terminal, on the same database. */
final class RunsCommand {
    private RunsCommand() {}

    @Command(name = "runs", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
            description = "The lab's stored runs, from the terminal: list, show one, export as the page does.")
    static final class Group implements Runnable {
        @picocli.CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "runs needs a command: ls, show or export");
        }
    }

    static CommandLine tree(LabCli.Io io) {
        CommandLine runs = new CommandLine(new Group());
        runs.addSubcommand(new Ls(io));
        runs.addSubcommand(new Show(io));
        runs.addSubcommand(new Export(io));
        return runs;
    }

    /** --db and --json, as ls and show take them. */
    static final class Common {
        @Mixin
        DbOption db;

        @Option(names = "--json", description = "print JSON")
        boolean json;
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Lists runs, newest first (or best dev first with --top).",
            footer = {"", "Example: ./lab runs ls --model mlp --status finished --top 5"})
    static final class Ls implements Callable<Integer> {
        private final LabCli.Io io;

        @Mixin
        Common common;

        @Option(names = "--model", paramLabel = "MODEL", description = "only runs of this model")
        String model;

        @Option(names = "--status", paramLabel = "STATUS", description = "only runs with this status: queued, running,"
                + " finished, stopped, diverged, failed, interrupted or pruned")
        String status;

        @Option(names = "--sweep", paramLabel = "ID", description = "only the runs of this sweep")
        String sweep;

        @Option(names = "--top", paramLabel = "N", description = "the N runs with the best dev, best first")
        Integer top;

        Ls(LabCli.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws IOException {
            if (status != null && java.util.Arrays.stream(RunStatus.values()).noneMatch(x -> x.label().equals(status))) {
                throw new LabCli.UsageException("--status must be one of queued, running, finished, stopped, diverged,"
                        + " failed, interrupted, pruned; got '" + status + "'");
            }
            if (top != null && top < 1) {
                throw new LabCli.UsageException("--top must be 1 or more, got " + top);
            }
            List<RunRecord.Summary> rows;
            try (RunStore store = Database.open(common.db.url(io.env()))) {
                Set<String> inSweep = sweep == null ? null : new SweepStore(store).points(sweep).stream()
                        .map(SweepStore.PointRun::run).collect(Collectors.toSet());
                rows = store.list().stream()
                        .filter(r -> model == null || model.equals(r.model()))
                        .filter(r -> status == null || r.status() == RunStatus.parse(status))
                        .filter(r -> inSweep == null || inSweep.contains(r.id()))
                        .collect(Collectors.toCollection(ArrayList::new));
            }
            if (top != null) {
                rows = rows.stream().filter(r -> r.bestDev() != null)
                        .sorted(Comparator.comparingDouble(RunRecord.Summary::bestDev)).limit(top).toList();
            }
            if (common.json) {
                io.out().println(RunStore.JSON.writeValueAsString(rows));
                return 0;
            }
            io.out().printf(Locale.ROOT, "%-10s  %-12s  %-11s  %8s  %8s  %s%n", "id", "model", "status", "step",
                    "best dev", "name");
            for (RunRecord.Summary r : rows) {
                io.out().printf(Locale.ROOT, "%-10s  %-12s  %-11s  %8d  %8s  %s%n", r.id(), r.model(),
                        r.status().label(), r.step(), r.bestDev() == null ? "-" : String.format(Locale.ROOT, "%.4f",
                                r.bestDev()), r.name() == null ? "" : r.name());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
            description = "One run: config, status, best dev, test score and every evaluation.",
            footer = {"", "Example: ./lab runs show k3xq9m2p7a --json"})
    static final class Show implements Callable<Integer> {
        private final LabCli.Io io;

        @Mixin
        Common common;

        @Parameters(paramLabel = "ID", description = "the run")
        String id;

        Show(LabCli.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws IOException {
            RunRecord r;
            try (RunStore store = Database.open(common.db.url(io.env()))) {
                r = store.get(id).orElseThrow(() -> new LabCli.UsageException("no run " + id));
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", r.id());
            o.put("name", r.name());
            o.put("status", r.status().label());
            o.put("message", r.message());
            o.put("config", r.config());
            o.put("bestDev", r.bestDev());
            o.put("test", r.test() == null ? null : r.test().loss());
            o.put("evals", r.evals().stream().map(e -> Map.of("step", e.step(), "split", e.split(), "loss",
                    Cli.finite(e.loss()))).toList());
            if (common.json) {
                io.out().println(RunStore.JSON.writeValueAsString(o));
                return 0;
            }
            io.out().println("run " + r.id() + (r.name() == null ? "" : " (" + r.name() + ")") + ": "
                    + r.status().label() + ", " + r.message());
            io.out().println("config " + r.config().toJson());
            io.out().println("best dev " + (r.bestDev() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.bestDev()))
                    + ", test " + (r.test() == null ? "not scored" : String.format(Locale.ROOT, "%.4f", r.test().loss())));
            for (RunEvent.Eval e : r.evals()) {
                io.out().printf(Locale.ROOT, "step %8d  %-5s  %.4f%n", e.step(), e.split(), e.loss());
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Runs as the page exports them: one row per run, step and split (CSV or JSON).",
            footer = {"", "Example: ./lab runs export k3xq9m2p7a p8wz4c6e2m --format csv > runs.csv"})
    static final class Export implements Callable<Integer> {
        private final LabCli.Io io;

        @Mixin
        DbOption db;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv or json (default"
                + " ${DEFAULT-VALUE})")
        String format;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "the runs")
        List<String> ids;

        Export(LabCli.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws IOException {
            if (!format.equals("csv") && !format.equals("json")) {
                throw new LabCli.UsageException("--format must be csv or json, got '" + format + "'");
            }
            List<RunRecord> records = new ArrayList<>();
            Map<String, String> sweepOf = new HashMap<>();
            try (RunStore store = Database.open(db.url(io.env()))) {
                SweepStore sweeps = new SweepStore(store);
                for (String id : ids) {
                    records.add(store.get(id).orElseThrow(() -> new LabCli.UsageException("no run " + id)));
                    sweepOf.put(id, sweeps.sweepOf(id));
                }
            }
            List<Map<String, Object>> rows = LongExport.rows(records, sweepOf);
            io.out().print(format.equals("json") ? RunStore.JSON.writeValueAsString(rows) + "\n" : LongExport.csv(rows));
            io.out().flush();
            return 0;
        }
    }
}
