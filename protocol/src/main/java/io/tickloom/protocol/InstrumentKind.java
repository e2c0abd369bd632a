package io.tickloom.protocol;

public enum InstrumentKind { EQ, IDX, FUT, OPT, SPOT }
