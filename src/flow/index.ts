export { AdmissionQueue, AdmissionRefused } from './admission-queue.ts';
export { abortedWith, deadlineOf, RequestDeadline, runningUnder, untilAborted } from './request-deadline.ts';
