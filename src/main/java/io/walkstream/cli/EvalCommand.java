package io.walkstream.cli;

import io.walkstream.eval.EvalReport;
import io.walkstream.eval.EvalSettings;
import io.walkstream.eval.Evaluation;
import io.walkstream.eval.MethodResult;
import io.walkstream.eval.Protocol;
import io.walkstream.eval.ReportWriter;
import io.walkstream.gen.DatasetFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code walkstream eval}: offline evaluation through the real job, against baselines, with a
 * report.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description =
                "Evaluate recommendation quality on a real log: replay it through the real job on a local"
                        + " Flink mini cluster, compare with baselines, write report.md, report.json and report.png.")
public class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--dataset",
            paramLabel = "PATH",
            description = "Interaction log to split (plain or gzip).")
    Path dataset;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "FORMAT",
            description =
                    "movielens (100K u.data), movielens1m (user::item::rating::ts), taobao or csv (user,item,action,ts_ms).")
    String format;

    @Option(
            names = "--protocol",
            defaultValue = "leave-last-out",
            paramLabel = "P",
            description = "leave-last-out, sampled or time-split (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(
            names = "--train",
            paramLabel = "FILE",
            description = "Pre-split training log (instead of --dataset).")
    Path train;

    @Option(
            names = "--test",
            paramLabel = "FILE",
            description = "Pre-split test file: 'user item' or 'user item neg1 neg2 …' per line.")
    Path test;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Where to write the report.")
    Path out;

    @Option(
            names = "--k",
            split = ",",
            defaultValue = "10,20",
            paramLabel = "K",
            description = "Cut-offs (default ${DEFAULT-VALUE}).")
    List<Integer> ks;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed for sampled negatives (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--negatives",
            defaultValue = "100",
            description = "Sampled protocol: negatives per user (default ${DEFAULT-VALUE}).")
    int negatives;

    @Option(
            names = "--cutoff",
            defaultValue = "0.8",
            description =
                    "Time-split: share of interactions before the cut-off (default ${DEFAULT-VALUE}).")
    double cutoff;

    @Option(
            names = "--request-time",
            defaultValue = "end",
            paramLabel = "WHEN",
            description =
                    "end: every request is asked at the last training timestamp and sees every training event, as the"
                            + " baselines do (a like-for-like comparison; pre-split files without test timestamps give the same);"
                            + " test: each request at its test timestamp, seeing only earlier events (the streaming view; the"
                            + " baselines still see the whole training set) (default ${DEFAULT-VALUE}).")
    String requestTime;

    @Option(
            names = "--rp3-alpha",
            defaultValue = "1.0",
            description = "Exact RP3β baseline: α (default ${DEFAULT-VALUE}).")
    double rp3Alpha;

    @Option(
            names = "--rp3-beta",
            description = "Exact RP3β baseline: β (default: the engine's rank.beta).")
    Double rp3Beta;

    @Option(
            names = "--request-window",
            defaultValue = "" + EvalSettings.DEFAULT_REQUEST_WINDOW,
            paramLabel = "N",
            description =
                    "Most requests walking at once: request i is sent when i-N have been answered; bounds the job's"
                            + " memory, answers are unchanged; 0: all at once (default ${DEFAULT-VALUE}).")
    int requestWindow;

    @Option(
            names = "--baselines",
            defaultValue = "all",
            paramLabel = "all|none",
            description =
                    "all (default): every baseline; none: walkstream alone (tuning the engine's settings).")
    String baselines;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Engine configuration (YAML); evaluation defaults apply beneath it.")
    Path config;

    @Option(
            names = "--vectors",
            paramLabel = "FILE",
            description =
                    "Trained vectors (walkstream train): adds walkstream with these vectors, and the vectors alone, to the report.")
    Path vectors;

    @Option(
            names = "--set",
            paramLabel = "SECTION.FIELD=VALUE",
            description = "Override an engine field, e.g. --set walk.walkers=5000 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if ((dataset == null) == (train == null)) {
            throw new ParameterException(
                    spec.commandLine(), "give either --dataset or --train with --test");
        }
        if (train != null && test == null) {
            throw new ParameterException(spec.commandLine(), "--train needs --test");
        }
        for (Path p : new Path[] {dataset, train, test, config, vectors}) {
            if (p != null && !Files.isReadable(p)) {
                throw new ParameterException(spec.commandLine(), "cannot read " + p);
            }
        }
        if (!List.of("all", "none").contains(baselines.toLowerCase(Locale.ROOT))) {
            throw new ParameterException(
                    spec.commandLine(), "--baselines must be all or none, got " + baselines);
        }
        if (requestWindow < 0) {
            throw new ParameterException(spec.commandLine(), "--request-window must be >= 0");
        }
        if (ks.isEmpty() || ks.stream().anyMatch(k -> k < 1)) {
            throw new ParameterException(spec.commandLine(), "--k needs positive cut-offs");
        }
        DatasetFormat fmt = parse(DatasetFormat.class, format, "--format");
        Protocol proto = parse(Protocol.class, protocol.replace('-', '_'), "--protocol");
        EvalSettings probe = settings(fmt, proto, 0);
        double beta = rp3Beta != null ? rp3Beta : Evaluation.engineConfig(probe).rank.beta;
        EvalSettings s = settings(fmt, proto, beta);
        EvalReport report = Evaluation.run(s);
        ReportWriter.write(report, out);
        for (MethodResult m : report.methods()) {
            int k0 = ks.get(0);
            System.out.printf(
                    Locale.ROOT,
                    "%-52s HR@%d %.4f  NDCG@%d %.4f  MRR %.4f  coverage %.3f  (%.1f s)%n",
                    m.method(),
                    k0,
                    m.hitRate().get(k0),
                    k0,
                    m.ndcg().get(k0),
                    m.mrr(),
                    m.catalogueCoverage(),
                    m.runtimeMs() / 1000.0);
        }
        System.out.printf(
                Locale.ROOT,
                "report: %s (total %.1f s)%n",
                out.resolve(ReportWriter.MARKDOWN),
                report.totalMs() / 1000.0);
        return 0;
    }

    private EvalSettings settings(DatasetFormat fmt, Protocol proto, double beta) {
        return new EvalSettings(
                dataset,
                fmt,
                proto,
                train,
                test,
                List.copyOf(ks),
                seed,
                negatives,
                cutoff,
                askAtEnd(),
                rp3Alpha,
                beta,
                config,
                overrides,
                requestWindow,
                vectors,
                !"none".equals(baselines.toLowerCase(Locale.ROOT)));
    }

    private boolean askAtEnd() {
        return switch (requestTime.toLowerCase(Locale.ROOT)) {
            case "test" -> false;
            case "end" -> true;
            default ->
                    throw new ParameterException(
                            spec.commandLine(), "--request-time must be test or end");
        };
    }

    private <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(), option + ": unknown value '" + value + "'");
        }
    }
}
