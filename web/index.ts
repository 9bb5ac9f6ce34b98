export type { WebDeps } from './deps.ts';
export { errorPage } from './pages/error.ts';
export { webRoutes } from './routes.ts';
