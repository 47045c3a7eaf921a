"""The shared kernel: ids, time spans, the clock port, errors and text rules."""
