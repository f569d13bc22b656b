package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.ServerException;
import picocli.CommandLine;

/** Which failures are the user's to fix, and how a bug ends instead. */
class FailureHandlerTest {
    @Test
    void shouldTreatBadValuesFilesAndTimeoutsAsUserMistakes() {
        assertThat(FailureHandler.userMistake(new IllegalArgumentException("--x: bad")))
                .isEqualTo("--x: bad");
        assertThat(FailureHandler.userMistake(new NoSuchFileException("/a/b")))
                .isEqualTo("/a/b: no such file or directory");
        assertThat(FailureHandler.userMistake(new TimeoutException("no peer within 1.0 s")))
                .isEqualTo("no peer within 1.0 s");
        assertThat(FailureHandler.userMistake(ServerException.notFound("checkpoint x")))
                .isEqualTo("checkpoint x");
    }

    @Test
    void shouldKeepTheContextOfAWrapperAroundAFileProblem() {
        NoSuchFileException cause = new NoSuchFileException("/a/b");

        assertThat(
                        FailureHandler.userMistake(
                                new UncheckedIOException("audit log /a/b: cannot open", cause)))
                .isEqualTo("audit log /a/b: cannot open: /a/b: no such file or directory");
        assertThat(
                        FailureHandler.userMistake(
                                new IllegalStateException("registry /a: " + cause, cause)))
                .isEqualTo("registry /a: /a/b: no such file or directory");
        assertThat(FailureHandler.userMistake(new RuntimeException(cause)))
                .isEqualTo("/a/b: no such file or directory");
    }

    @Test
    void shouldTreatEverythingElseAsABug() {
        assertThat(FailureHandler.userMistake(new NullPointerException("x"))).isNull();
        assertThat(FailureHandler.userMistake(new IllegalStateException("broken"))).isNull();
        assertThat(
                        FailureHandler.userMistake(
                                new ServerException(ServerException.Kind.INTERNAL, "oops")))
                .isNull();
        // a user mistake explains itself: without a message it is a bug
        assertThat(FailureHandler.userMistake(new IllegalArgumentException())).isNull();
    }

    @Test
    void shouldEndABugWithExitOneAndTheStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cmd = SpikeloopCli.commandLine().getSubcommands().get("replay");
        cmd.setErr(new PrintWriter(err, true));

        int code =
                new FailureHandler()
                        .handleExecutionException(new NullPointerException("x"), cmd, null);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("spikeloop replay: internal error: java.lang.NullPointerException: x")
                .contains("\tat ");
    }
}
