package makemore.web;

import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import makemore.config.ConfigException;
import makemore.config.Limits;
import makemore.event.RunStatus;
import makemore.model.Models;
import makemore.store.RunList;

/**
 * The run list's query parameters, checked: {@code limit offset model dataset status name devBelow sort order
 * inSweep sweep}. An unknown parameter, value or field is a 400 naming it, never silently ignored (a typo in a filter
 * would otherwise show every run).
 */
final class RunListParams {
    private static final Set<String> KNOWN = Set.of("limit", "offset", "model", "dataset", "status", "name", "devBelow",
            "sort", "order", "inSweep", "sweep");

    private RunListParams() {}

    static RunList.Query read(Context ctx) {
        for (String k : ctx.queryParamMap().keySet()) {
            if (!KNOWN.contains(k)) {
                throw new ConfigException(k, "the run list has no parameter '" + LabServer.clip(k) + "'; it takes "
                        + String.join(", ", new java.util.TreeSet<>(KNOWN)));
            }
        }
        int limit = RequestFields.intParam(ctx, "limit", Limits.RUN_PAGE);
        if (limit < 1 || limit > Limits.RUN_PAGE_MAX) {
            throw new ConfigException("limit", "limit must be 1.." + Limits.RUN_PAGE_MAX + " runs a page, got " + limit);
        }
        int offset = RequestFields.intParam(ctx, "offset", 0);
        if (offset < 0) {
            throw new ConfigException("offset", "offset must be 0 or more, got " + offset);
        }
        String model = ctx.queryParam("model");
        if (model != null && !Models.names().contains(model)) {
            throw new ConfigException("model", "model must be one of " + Models.names() + ", got '"
                    + LabServer.clip(model) + "'");
        }
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        String status = ctx.queryParam("status");
        if (status != null) {
            for (String s : status.split(",")) {
                try {
                    statuses.add(RunStatus.parse(s.strip()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("status", "status must be among " + java.util.Arrays.stream(
                            RunStatus.values()).map(RunStatus::label).toList() + ", got '" + LabServer.clip(s) + "'");
                }
            }
        }
        String name = ctx.queryParam("name");
        if (name != null && name.length() > Limits.RUN_NAME) {
            throw new ConfigException("name", "name is matched against names of at most " + Limits.RUN_NAME
                    + " characters; got " + name.length());
        }
        Double devBelow = ctx.queryParam("devBelow") == null ? null : RequestFields.doubleParam(ctx, "devBelow", 0);
        RunList.Sort sort = switch (ctx.queryParamAsClass("sort", String.class).getOrDefault("created")) {
            case "created" -> RunList.Sort.CREATED;
            case "bestDev" -> RunList.Sort.BEST_DEV;
            case "step" -> RunList.Sort.STEP;
            default -> throw new ConfigException("sort", "sort must be created, bestDev or step, got '"
                    + LabServer.clip(ctx.queryParam("sort")) + "'");
        };
        String order = ctx.queryParam("order");
        boolean descending = order == null ? sort != RunList.Sort.BEST_DEV : switch (order) {
            case "desc" -> true;
            case "asc" -> false;
            default -> throw new ConfigException("order", "order must be asc or desc, got '" + LabServer.clip(order)
                    + "'");
        };
        String inSweep = ctx.queryParam("inSweep");
        if (inSweep != null && !inSweep.equals("false") && !inSweep.equals("true")) {
            throw new ConfigException("inSweep", "inSweep must be true or false, got '" + LabServer.clip(inSweep) + "'");
        }
        String sweep = ctx.queryParam("sweep");
        if (sweep != null && !sweep.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new ConfigException("sweep", "sweep must be a sweep id, got '" + LabServer.clip(sweep) + "'");
        }
        String dataset = ctx.queryParam("dataset");
        return new RunList.Query(limit, offset, model, dataset == null || dataset.isBlank() ? null : dataset, statuses,
                name == null || name.isBlank() ? null : name.strip().toLowerCase(Locale.ROOT), devBelow, sort,
                descending, "false".equals(inSweep) ? Boolean.FALSE : null, sweep);
    }
}
