/** `3h12m`, `45m`, `2d4h`: coarse, for messages. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days}d${hours ? `${hours}h` : ""}`;
  if (hours > 0) return `${hours}h${mins ? `${mins}m` : ""}`;
  if (minutes > 0) return `${minutes}m`;
  return `${Math.max(0, Math.round(ms / 1000))}s`;
}
