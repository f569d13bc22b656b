package org.spikeloop.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.TimeoutException;
import org.spikeloop.adapters.lsl.LiblslNotFoundException;
import org.spikeloop.adapters.lsl.LslException;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ConfigException;
import org.spikeloop.server.registry.RegistryException;
import org.spikeloop.snn.checkpoint.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command's failure ends, decided in this one place (commands just throw). A mistake the
 * user can fix prints one line, {@code spikeloop <command>: <what and why>}, on stderr and exits
 * {@value #USER_MISTAKE}; with {@code --verbose} its stack trace follows. Anything else is a bug:
 * {@code spikeloop <command>: internal error: <exception>}, the stack trace, exit {@value
 * #INTERNAL_ERROR}.
 *
 * <p>A user mistake is a bad option or argument (picocli's parse errors, {@link
 * IllegalArgumentException} and the validation exceptions that extend it, {@link ConfigException}),
 * a file or device problem (any {@link IOException} or {@link UncheckedIOException}: missing,
 * unreadable or invalid files, a busy port), a damaged checkpoint ({@link CheckpointException}) or
 * registry ({@link RegistryException}: a malformed index, an unknown id), liblsl missing or
 * unloadable, an LSL peer that does not answer in time ({@link TimeoutException}, an LSL timeout or
 * lost stream) or a request the server refuses ({@link ServerException} other than {@code
 * INTERNAL}) — the exception itself or, wrapped, its cause. Its message must say what is wrong: an
 * exception without a message is treated as a bug.
 */
final class FailureHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int USER_MISTAKE = 2;
    static final int INTERNAL_ERROR = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        cmd.getOut().flush();
        PrintWriter err = cmd.getErr();
        String mistake = userMistake(e);
        if (mistake != null) {
            err.println(prefix(cmd) + mistake);
            if (verbose(cmd)) {
                e.printStackTrace(err);
            }
            err.flush();
            return USER_MISTAKE;
        }
        err.println(prefix(cmd) + "internal error: " + oneLine(e.toString()));
        e.printStackTrace(err);
        err.flush();
        return INTERNAL_ERROR;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        StringBuilder line = new StringBuilder(prefix(cmd)).append(oneLine(e.getMessage()));
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line.append(" (did you mean ")
                    .append(String.join(" or ", u.getSuggestions()))
                    .append("?)");
        }
        line.append("; see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help'");
        PrintWriter err = cmd.getErr();
        err.println(line);
        if (verbose(cmd)) {
            e.printStackTrace(err);
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * The one line for a user mistake (without the command prefix), or null when {@code e} is a
     * bug.
     */
    static String userMistake(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String what = describe(t);
            if (what != null) {
                return oneLine(t == e ? what : wrapped(e, t, what));
            }
        }
        return null;
    }

    /** What {@code t} says if it is a user mistake, else null. */
    private static String describe(Throwable t) {
        String m = t.getMessage();
        if (t instanceof LiblslNotFoundException l) {
            return "liblsl: "
                    + l.reason()
                    + " ("
                    + LiblslNotFoundException.HINT
                    + "; --verbose lists the places searched)";
        }
        if (m == null || m.isBlank()) {
            return null;
        }
        if (t instanceof ServerException s) {
            return s.kind() == ServerException.Kind.INTERNAL ? null : m;
        }
        if (t instanceof LslException l) {
            return l.kind() == LslException.Kind.TIMEOUT || l.kind() == LslException.Kind.LOST
                    ? "LSL: " + m
                    : null;
        }
        if (t instanceof IllegalArgumentException
                || t instanceof ConfigException
                || t instanceof RegistryException
                || t instanceof CheckpointException
                || t instanceof TimeoutException) {
            return m;
        }
        if (t instanceof UncheckedIOException u) {
            return withCause(m, u.getCause());
        }
        if (t instanceof IOException io) {
            return withCause(file(io), io.getCause());
        }
        return null;
    }

    /** NIO's file exceptions carry only the path as their message: say what is wrong with it. */
    private static String file(IOException e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists";
        }
        if (e instanceof NotDirectoryException f) {
            return f.getFile() + ": not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage();
    }

    /** {@code message}, then the cause's own words when the message does not already hold them. */
    private static String withCause(String message, Throwable cause) {
        if (cause == null) {
            return message;
        }
        String why = cause instanceof IOException io ? file(io) : cause.getMessage();
        return why == null || message.contains(why) ? message : message + ": " + why;
    }

    /**
     * The outer exception's context, when it adds any, around the mistake found inside it: {@code
     * "…: java.nio.file.NoSuchFileException: x"} reads {@code "…: x: no such file or directory"}.
     */
    private static String wrapped(Throwable outer, Throwable cause, String inner) {
        String m = outer.getMessage();
        if (m == null || m.equals(cause.toString())) {
            return inner;
        }
        String plain = m.replace(cause.toString(), inner);
        if (!plain.equals(m)) {
            return plain;
        }
        return m.contains(inner) ? m : m + ": " + inner;
    }

    private static String oneLine(String s) {
        return String.valueOf(s).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": ";
    }

    /** The root's inherited {@code --verbose} (false for a command run on its own, in tests). */
    private static boolean verbose(CommandLine cmd) {
        OptionSpec v = cmd.getCommandSpec().findOption("--verbose");
        return v != null && Boolean.TRUE.equals(v.getValue());
    }
}
