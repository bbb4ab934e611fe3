/** Facts about processes on this machine, shared by the file locks and the span spool. A leaf. */
export { isProcessAlive } from './process-alive.ts';
