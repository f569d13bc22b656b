/**
 * The {@code spikeloop} command line: one picocli command class per subcommand ({@code serve},
 * {@code demo}, {@code train}, {@code checkpoint}, {@code xdf}, {@code lsl}, {@code sim}, {@code
 * replay}, {@code import}, {@code forward}, {@code grad}, {@code eprop}, {@code bench}). User
 * mistakes end in one line on stderr and exit code 2.
 *
 * <p>Threads: the caller's (main) thread; {@code serve} and {@code demo} start the server's own.
 *
 * <p>May import: {@link org.spikeloop.app}, {@link org.spikeloop.app.demo}, {@link
 * org.spikeloop.app.bench}, the server's packages and the modules below it.
 */
package org.spikeloop.app.cli;
