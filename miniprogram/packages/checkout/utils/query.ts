// Page query values: WeChat hands them over still URL-encoded (navigateTo
// does not decode), a test or a scanned link may not be; decode when it
// is valid, keep as is otherwise.
export function queryValue(value: string | undefined): string {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
