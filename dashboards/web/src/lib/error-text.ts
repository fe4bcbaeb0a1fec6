/** The message of a thrown value, for a notice or a per-item failure line. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
