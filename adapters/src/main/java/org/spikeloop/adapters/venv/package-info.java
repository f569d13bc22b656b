/**
 * Where the project's virtualenv is: {@link org.spikeloop.adapters.venv.RepositoryRoots} lists the
 * directories that may hold {@code clients/python/.venv}, in the one order that the liblsl lookup
 * ({@code adapters.lsl}) and the Python lookup ({@code adapters.eegfile}) share.
 *
 * <p>Threads: the caller's; control plane only (start-up lookups).
 *
 * <p>May import: the JDK only.
 */
package org.spikeloop.adapters.venv;
