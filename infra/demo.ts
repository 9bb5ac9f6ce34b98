import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { finalStatuses, type ServerMessage } from '../contracts/index.ts';
import { demoAccounts } from './demo-data.ts';

/**
 * Follow the demo drop from a terminal (against `npm start`):
 *   npm run -s demo -- join          signs in as the demo shopper and joins the demo drop (auto-buy with a test card)
 *   npm run -s demo -- watch <ws>    prints the waiting room's messages for that ticket until the answer is final
 */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { edge: { type: 'string', default: 'http://127.0.0.1:8080' } },
});
const [command, wsUrl] = positionals;
const edge = values.edge;

async function call(path: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(`${edge}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

if (command === 'join') {
  const { token } = (await call('/api/v1/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email: demoAccounts.customer.email, password: demoAccounts.customer.password }),
  })) as { token: string };
  const { drops } = (await call('/api/v1/drops', { token })) as { drops: { drop_id: string; starts_at: string; status: string }[] };
  const drop = drops[0];
  if (!drop) throw new Error('no upcoming drop: restart `npm start` to schedule a new demo drop');
  const { addresses } = (await call('/api/v1/me/addresses', { token })) as { addresses: { address_id: string }[] };
  const joined = await call(`/api/v1/drops/${drop.drop_id}/intents`, {
    method: 'POST',
    token,
    body: JSON.stringify({ payment_method_id: 'pm_card_visa', shipping_address_id: addresses[0]?.address_id }),
  });
  console.log(`drop ${drop.drop_id} (${drop.status}, starts ${drop.starts_at})`);
  console.log(JSON.stringify(joined, null, 2));
  console.log(`\nwatch it:  npm run -s demo -- watch '${String(joined.ws_url)}'`);
} else if (command === 'watch' && wsUrl) {
  const ws = new WebSocket(wsUrl);
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as ServerMessage;
    console.log(new Date().toISOString(), data.toString());
    if (m.type === 'status' && finalStatuses.has(m.status)) ws.close();
  });
  ws.on('unexpected-response', (_req, res) => {
    console.error(`refused: ${res.statusCode}`);
    process.exit(1);
  });
} else {
  console.error('usage: npm run -s demo -- join | watch <ws_url>');
  process.exit(2);
}
