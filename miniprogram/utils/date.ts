// Dates from the backend are ISO instants; people see them in the phone's
// own time zone.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2025-11-27T04:05:06.000Z" -> "2025-11-27" (local date); "" for anything unparsable. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "2025-11-27 12:05" (local). */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${formatDate(iso)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
