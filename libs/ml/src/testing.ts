// Fixtures for tests of packages that use @tsfx/ml.
export {};
