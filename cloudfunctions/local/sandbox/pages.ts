// Tiny HTML pages the sandbox serves to people: the signing and account
// confirmation links of an application, and an index for developers.
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
button{font-size:1.1rem;padding:.6rem 1.4rem;background:#07c160;color:#fff;border:0;border-radius:6px;cursor:pointer}
.ok{color:#07c160}code{background:#f3f3f3;padding:0 .2rem}table{border-collapse:collapse}td{padding:.2rem .6rem;border-bottom:1px solid #eee}</style>
</head><body>${body}</body></html>`;
}
