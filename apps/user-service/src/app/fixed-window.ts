/**
 * A counter of attempts in a fixed window that starts at the first attempt: the SET of an
 * upsert's ON CONFLICT that counts one more attempt, and the seconds left of the window as an
 * upsert RETURNS them. `row` is the table's alias, `window` the parameter holding the window in
 * seconds; the counter's columns are `attempts` and `window_started_at`.
 */
export function countAttemptSql(row: string, window: string): string {
  const expired = `${row}.window_started_at <= now() - make_interval(secs => ${window})`;
  return `attempts = CASE WHEN ${expired} THEN 1 ELSE ${row}.attempts + 1 END,
         window_started_at = CASE WHEN ${expired} THEN now() ELSE ${row}.window_started_at END`;
}

export function windowLeftSql(row: string, window: string): string {
  return `GREATEST(1, CEIL(EXTRACT(EPOCH FROM ${row}.window_started_at + make_interval(secs => ${window}) - now())))::int`;
}
