import { randomBytes } from 'node:crypto';
import { stackUp } from '../infra/index.ts';
import { createRuntime, databaseName, loadConfig, startOrExit } from '../platform/index.ts';
import { benchDatabaseUrl, benchNames } from './setup.ts';

/**
 * The start of a bench that runs the engine: its arguments (the usage on `--help`, exit 2 on bad ones), the stack
 * up as `npm start` brings it (quick when it already runs), and a run with a tag of its own: topics and groups
 * named by it, its children's logs in `bench/results/logs-<tag>`, and a database of its own (`<the product's>_bench`,
 * here and in every child: a platform running beside the bench on the product's database, `npm start`, would
 * otherwise take up the bench's drops and checkouts in its order worker's loops). A bench runs against the local
 * stack in development (its children too), whatever the shell says.
 */
export async function startBenchRun<A>(script: string, parse: (argv: readonly string[]) => A) {
  const argv = process.argv.slice(2);
  let args: A;
  try {
    args = parse(argv);
  } catch (err) {
    const help = argv.includes('--help') || argv.includes('-h');
    (help ? console.log : console.error)((err as Error).message);
    process.exit(help ? 0 : 2);
  }
  stackUp();
  const tag = randomBytes(4).toString('hex');
  process.env.NODE_ENV = 'development';
  process.env.DATABASE_URL = benchDatabaseUrl((await startOrExit(loadConfig)).DATABASE_URL);
  const rt = createRuntime(loadConfig(), 'bench');
  return {
    args,
    command: [`npm run ${script}`, ...(argv.length > 0 ? ['--', ...argv] : [])].join(' '),
    date: new Date().toISOString(),
    tag,
    names: benchNames(tag),
    logDir: `bench/results/logs-${tag}`,
    rt,
    database: databaseName(rt.config.DATABASE_URL),
    step: (what: string) => console.log(`bench: ${what}`),
  };
}
