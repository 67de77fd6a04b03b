package bilinear.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bilinear lm}: the language-model commands. */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = "Train, evaluate and sample bilinear transformer language models.",
        subcommands = {LmTrainCommand.class, LmEvalCommand.class, LmSampleCommand.class, LmCompareCommand.class})
public final class LmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
