package io.tickloom.protocol;

public enum OptionType { CE, PE }
