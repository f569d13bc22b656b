/**
 * NIR (the Neuromorphic Intermediate Representation, reference package {@code nir} 1.0) import and
 * export: {@link org.spikeloop.snn.nir.NirFile} reads and writes the HDF5 files (through jHDF),
 * {@link org.spikeloop.snn.nir.NirImport} maps a graph to a Spikeloop architecture and parameters,
 * {@link org.spikeloop.snn.nir.NirExport} maps back, both with the forward-Euler discretisation
 * {@link org.spikeloop.snn.nir.Discretisation} states (docs/checkpoints.md, "NIR"). What one side
 * cannot express is refused with a {@link org.spikeloop.snn.nir.NirException} naming the node or
 * field.
 *
 * <p>Threads: none of its own; stateless, called on the caller's thread. Control plane only: file
 * I/O and allocation, never on the decode path.
 *
 * <p>May import: {@code snn.spec}, {@code snn.params}, jHDF. Imported by the application's {@code
 * checkpoint import}/{@code export} commands; never imports the server or the application.
 */
package org.spikeloop.snn.nir;
