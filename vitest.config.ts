import { tmpdir } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Ports where nothing listens: a unit test that reaches for a service fails. */
const nowhere = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
  REDIS_URL: 'redis://127.0.0.1:1',
  KAFKA_BROKERS: '127.0.0.1:1',
};

export default defineConfig({
  test: {
    exclude: ['node_modules/**', '.stack/**'],
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', MAIL_DIR: `${tmpdir()}/flashline-test-mail` },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', '.stack/**'],
          env: nowhere,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          // The run's migrated template database, then one database of its own for each test file.
          globalSetup: ['test/global-setup.ts'],
          setupFiles: ['test/database.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
