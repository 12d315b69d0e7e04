// A page's query parameter as text. navigateTo hands values over still
// percent-encoded; a hand-typed or scanned link may not be encoded at all.
export function param(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
