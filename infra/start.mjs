// `npm start`: installs dependencies if missing, brings the stack up, runs every component in one process, in
// development (its own secrets, payments to the local Stripe-compatible server) and with the demo data.
import { spawn } from 'node:child_process';
import { ensureInstalled, nodeBin, root, stackUp } from './node-steps.mjs';

ensureInstalled();
stackUp();
const app = spawn(nodeBin, ['main.ts', '--demo'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'development' } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
