"""Tests: end-to-end through the emulator, unit tests for pure logic, consistency checks."""
