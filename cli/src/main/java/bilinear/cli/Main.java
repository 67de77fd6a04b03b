package bilinear.cli;

import bilinear.engine.BadInputException;
import bilinear.linalg.BackendUnavailableException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point. Errors reach the user as one line on stderr with a non-zero exit code from
 * {@link ExitCode}; {@code --stacktrace} adds the Java stack trace. Only this class calls
 * {@link System#exit}.
 */
@Command(name = "bilinear", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Train bilinear MLPs on the CPU and read what they compute from their weights.", "",
                "Global option: --stacktrace shows the Java stack trace of an error."},
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, DecomposeCommand.class, TruncateCommand.class,
                ExplainCommand.class, CompareCommand.class, AdversarialCommand.class, ReportCommand.class, InfoCommand.class,
                LmCommand.class, SaeCommand.class, CircuitsCommand.class})
public final class Main implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("bilinear.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        boolean stacktrace = Arrays.asList(args).contains("--stacktrace");
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--stacktrace")).toArray(String[]::new);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, argv) -> {
            err.println("error: " + ex.getMessage());
            CommandLine c = ex.getCommandLine();
            err.println("see '" + c.getCommandSpec().qualifiedName() + " --help'");
            if (stacktrace) {
                ex.printStackTrace(err);
            }
            return ExitCode.USAGE.code;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            ExitCode code;
            String message;
            if (ex instanceof BadInputException) {
                code = ExitCode.BAD_INPUT;
                message = ex.getMessage();
            } else if (ex instanceof BackendUnavailableException) {
                code = ExitCode.UNAVAILABLE;
                message = ex.getMessage();
            } else {
                code = ExitCode.INTERNAL_ERROR;
                message = "internal error: " + ex + (stacktrace ? "" : " (run with --stacktrace for details)");
            }
            err.println("error: " + message);
            if (stacktrace) {
                ex.printStackTrace(err);
            }
            return code.code;
        });
        try {
            return cl.execute(rest);
        } catch (OutOfMemoryError e) {
            err.println("error: out of memory; try a smaller --batch or --hidden, or more heap (BILINEAR_JAVA_OPTS=-Xmx8g)");
            return ExitCode.INTERNAL_ERROR.code;
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Picocli's --version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bilinear " + version() + " (JDK " + System.getProperty("java.version") + ")"};
        }
    }
}
