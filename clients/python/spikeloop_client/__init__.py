"""Python client for Spikeloop (spikeloop.v1) and helpers shared by the interop suite."""
