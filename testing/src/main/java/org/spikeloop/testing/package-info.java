/**
 * Helpers the modules' tests share: {@link org.spikeloop.testing.AllocationMeter}, the current
 * thread's allocation counter, proven to count before it is read. Test-scoped in every module that
 * uses it; never part of the product.
 *
 * <p>Threads: the calling test's. Allocation: none once the counter is proven.
 *
 * <p>May import: the JDK only; imported by tests only.
 */
package org.spikeloop.testing;
