/**
 * Proxmox tasks (UPIDs) as the node task list reports them. Pure helpers shared by the checks
 * that read tasks: what is still running, what failed, and who started it.
 */
import type { PveTask } from "./responses.ts";
import type { ProviderIdentity } from "./settings.ts";

/** Still running: the list gives no end time (or, on some releases, the status RUNNING). */
export const isRunning = (task: PveTask): boolean => task.endtime === undefined || task.status === "RUNNING";

/** Ended with an error: the status is the error text, anything but `OK` or `WARNINGS: n`. */
export const isFailed = (task: PveTask): boolean => !isRunning(task) && Boolean(task.status) && task.status !== "OK" && !/^WARNINGS/.test(task.status ?? "");

/** Who started it, as `user@realm` or `user@realm!token` (newer PVE splits the token into `tokenid`). */
export const startedBy = (task: PveTask): string => (task.tokenid ? `${task.user}!${task.tokenid}` : task.user);

export const startedByProvider = (task: PveTask, provider: ProviderIdentity | undefined): boolean => provider !== undefined && startedBy(task) === provider.id;

/** The newest task of each kind for each subject (type and id), so a later success clears an old failure. */
export function newestPerSubject(tasks: readonly PveTask[]): PveTask[] {
  const newest = new Map<string, PveTask>();
  for (const task of tasks) {
    const key = `${task.node} ${task.type} ${task.id}`;
    const seen = newest.get(key);
    if (!seen || task.starttime > seen.starttime) newest.set(key, task);
  }
  return [...newest.values()];
}

/** "3 h ago", "2 d ago": how old a task is, for messages. */
export function age(task: PveTask, now: Date): string {
  const seconds = Math.max(0, now.getTime() / 1000 - task.starttime);
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}
