// Two projects: unit tests (fast, in-process) and end-to-end tests (committed bundles under the
// runner emulation, stand-in servers, a real Docker engine). TypeScript is transpiled by ts-jest;
// `npm run typecheck` does the type checking.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@conveyor/core$': '<rootDir>/packages/core/src/index.ts',
    '^@conveyor/core/github$': '<rootDir>/packages/core/src/github.ts',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testEnvironment: 'node',
};

export default {
  reporters: ['default', '<rootDir>/test/kit/count-reporter.cjs'],
  // End-to-end tests build images and follow simulated runs; jest reads this only at the top level.
  testTimeout: 180000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['\\.e2e\\.test\\.ts$'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.test.ts'], slowTestThreshold: 30 },
  ],
};
