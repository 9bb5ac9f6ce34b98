export { startOrderWorker, type OrderWorker, type OrderWorkerOptions, type WorkerTopics } from './worker.ts';
